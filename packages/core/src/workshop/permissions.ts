/**
 * Who may do what in the workshop. A coordinator (工坊协调员) runs it; staff may record
 * movements and read; a worker (a resident enrolled as a worker) reads their own custody and
 * pay (`read:own`, checked against the actor's `residentId`); a partner factory's contact (the
 * `factory` role, matched by subject to a `Factory`'s `subjects`) reads only that factory's
 * orders, progress and invoices (`read:factory`).
 *
 * @module
 */
import { declareRoles, permissions } from "../kernel/Policy.js"

/** The roles the workshop declares. */
export const WorkshopRoles = declareRoles("workshop", {
  coordinator: "runs Xin Workshop: orders, sign-outs, returns, pay / 工坊协调员：工单、领料、交货、工资",
  factory: "a partner factory's contact: its own orders and invoices / 合作工厂：只看本厂工单与发票"
})

/** The workshop's permissions. */
export const WorkshopPermissions = permissions("workshop", {
  manage: ["admin", "coordinator"],
  record: ["staff", "coordinator"],
  pay: ["admin", "coordinator"],
  read: ["admin", "staff", "coordinator"],
  "read:own": ["resident", "volunteer"],
  "read:factory": ["factory"]
})

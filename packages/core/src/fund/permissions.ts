/**
 * The roles the fund adds and the fund's permissions.
 *
 * @module
 */
import { declareRoles, permissions } from "../kernel/Policy.js"

/**
 * The fund's roles, held per community like every role:
 *
 * - `treasurer` (出纳/财务): keeps the books: records sales, costs and donations, manages products
 *   and sub-funds, schedules and pays approved allocations.
 * - `approver` (审批人, a committee member): signs off allocation rounds after their public notice.
 */
export const FundRoles = declareRoles("fund", {
  treasurer: "keeps the fund's books and pays approved allocations / 基金出纳：记账、付款",
  approver: "signs off allocation rounds after public notice / 基金审批人：公示期满后审批"
})

const everyone = ["admin", "staff", "grid_worker", "volunteer", "resident", "treasurer", "approver"] as const

/**
 * Who may do what with the fund:
 *
 * - `manage` (settings, products, sub-funds): admins and treasurers;
 * - `record` (sales, costs, donations, proceeds, other income): treasurers and staff;
 * - `draft` (draft, revise, submit rounds, start their notice, answer objections): staff and treasurers;
 * - `approve` (sign off or reject a round in notice): approvers only;
 * - `pay` (schedule, pay, mark failed): treasurers;
 * - `cancel` (a round not yet paid): admins, staff and treasurers;
 * - `read` (the books: entries, rounds in full, statements): admins, staff, treasurers and approvers;
 * - `read:own` (a family's own applications): residents;
 * - `object` (object to a round in public notice) and `report:public` (the transparency report and
 *   rounds in notice without personal data): everyone in the community.
 */
export const FundPermissions = permissions("fund", {
  manage: ["admin", "treasurer"],
  record: ["staff", "treasurer"],
  draft: ["staff", "treasurer"],
  approve: ["approver"],
  pay: ["treasurer"],
  cancel: ["admin", "staff", "treasurer"],
  read: ["admin", "staff", "treasurer", "approver"],
  "read:own": ["resident"],
  object: everyone,
  "report:public": everyone
})

/**
 * The permissions of the ledger.
 *
 * @module
 */
import { permissions } from "../kernel/Policy.js"

/**
 * Who may do what in the ledger:
 *
 * - `accounts:open`, `accounts:close` (closing and reopening): staff and admins;
 * - `transfer` (apply batches, release expired holds): staff and admins;
 * - `read` (accounts, balances, history, the journal export) and `verify` (walk the hash chain):
 *   staff and admins.
 *
 * Residents, volunteers and grid workers hold none of them. The roles the fund will want
 * (treasurers and approvers per community) are not in the kernel's closed `Role` union yet;
 * when they are, they are added here, not in the service.
 */
export const LedgerPermissions = permissions("ledger", {
  "accounts:open": ["admin", "staff"],
  "accounts:close": ["admin", "staff"],
  transfer: ["admin", "staff"],
  read: ["admin", "staff"],
  verify: ["admin", "staff"]
})

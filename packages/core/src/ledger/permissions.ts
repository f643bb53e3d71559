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
 * Residents, volunteers and grid workers hold none of them. Nor do the fund's `treasurer` and
 * `approver`: the ledger also holds residents' time credits and workshop workers' wages, which
 * the fund's people have no need to see; they read the fund's part of the books through the
 * `Fund` service (its entries and its statement, reconciled to the ledger), and the fund posts
 * through `postWithin` under its own permissions. A deployment that wants them to read or
 * verify the whole ledger adds them here, not in the service.
 */
export const LedgerPermissions = permissions("ledger", {
  "accounts:open": ["admin", "staff"],
  "accounts:close": ["admin", "staff"],
  transfer: ["admin", "staff"],
  read: ["admin", "staff"],
  verify: ["admin", "staff"]
})

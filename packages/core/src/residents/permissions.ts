/**
 * The permissions of the resident registry.
 *
 * @module
 */
import { permissions } from "../kernel/Policy.js"

/**
 * Who may do what in the registry:
 *
 * - staff and admins (社工、中心工作人员) run the whole registry;
 * - grid workers (网格员) register and update the residents of the community, but neither
 *   deactivate nor erase them;
 * - volunteers see a reduced view (for matching) and their own record;
 * - residents see themselves and their wards (and update them through the self-service rules
 *   of `Residents`, which need no permission of their own).
 */
export const ResidentPermissions = permissions("residents", {
  register: ["admin", "staff", "grid_worker"],
  update: ["admin", "staff", "grid_worker"],
  consent: ["admin", "staff", "grid_worker"],
  link: ["admin", "staff", "grid_worker"],
  deactivate: ["admin", "staff"],
  erase: ["admin", "staff"],
  "read:full": ["admin", "staff", "grid_worker"],
  "read:reduced": ["volunteer"],
  "read:own": ["volunteer", "resident"]
})

/**
 * The permissions of mutual aid.
 *
 * @module
 */
import { permissions } from "../kernel/Policy.js"

/**
 * Who may do what in mutual aid:
 *
 * - `volunteers:manage` (register and update volunteers, the walking table): staff and admins;
 * - `request` (ask for help: a resident for themself; staff and grid workers for someone without
 *   a smartphone, with evidence): residents, grid workers, staff and admins;
 * - `dispatch` (suggest, offer places, start, complete, cancel any request, expire): staff and admins;
 * - `accept` (accept or decline a place offered to oneself): volunteers;
 * - `read:all` (every request and volunteer of the community): admins, staff and grid workers;
 * - `read:offered` (requests where one is offered or holds a place, details masked until accepted): volunteers;
 * - `read:own` (one's own requests): residents;
 * - `feedback` (on a completed service one took part in): residents and volunteers;
 * - `care` (care plans and their visits): staff, admins and grid workers;
 * - `reports` (the coordinator's report): staff and admins.
 */
export const MutualAidPermissions = permissions("mutual-aid", {
  "volunteers:manage": ["admin", "staff"],
  request: ["admin", "staff", "grid_worker", "resident"],
  dispatch: ["admin", "staff"],
  accept: ["volunteer"],
  "read:all": ["admin", "staff", "grid_worker"],
  "read:offered": ["volunteer"],
  "read:own": ["resident"],
  feedback: ["resident", "volunteer"],
  care: ["admin", "staff", "grid_worker"],
  reports: ["admin", "staff"]
})

/**
 * The exact minimum-cost assignment solver under mutual aid's batch matching: requests (rows) to
 * volunteers (columns), with volunteer capacities, team roles and a price for leaving a request
 * unassigned. Plain TypeScript on typed arrays: no I/O, no clock, no randomness.
 *
 * ## The problem, precisely
 *
 * There are `rows` rows (request slots) and `cols` columns (volunteer slots). A pair `(i, j)` is
 * either feasible, with a finite cost `c(i, j)` (any sign), or infeasible. A solution gives each
 * row at most one column, such that
 *
 * - a row only takes a feasible column;
 * - column `j` takes at most `capacity[j]` rows (default 1; `0` closes the column);
 * - rows of one team (`team[i] = team[k] ≥ 0`, e.g. the roles of one request) never take the
 *   same column: one volunteer never fills two roles of one team (`-1`: no team);
 *
 * and it **minimises** `objective = total + penalty`, where `total` is the sum of `c(i, j)` over
 * the assigned pairs and `penalty` the sum of `unassignedCost[i]` over the rows left unassigned.
 * So the problem always has a solution, and a row is left unassigned exactly when every way of
 * assigning it (moving other rows around included) costs more than its `unassignedCost`.
 *
 * `unassignedCost` is one finite number for every row, one per row, or left out: then every row
 * gets `defaultUnassignedCost`, `2 × rows × max|c| + 1`, which is larger than any difference of
 * totals, so the solution assigns **as many rows as possible, and among those assignments has
 * the least total** (the usual "maximum matching of minimum cost").
 *
 * ## The algorithm
 *
 * Successive shortest augmenting paths with dual potentials (the Hungarian method in the form
 * of Jonker and Volgenant and of Crouse, "On implementing 2D rectangular assignment
 * algorithms", 2016, which is also what SciPy's `linear_sum_assignment` runs). For each row not
 * yet placed, a shortest-path search on reduced costs `c(i, j) − u[i] − v[j] ≥ 0` finds the
 * cheapest way to place it: on a column with room, or by moving assigned rows along an
 * alternating path, or by leaving one row of the path (possibly the new one) unassigned at its
 * `unassignedCost`. The path is flipped and the potentials updated so that all reduced costs
 * stay non-negative. At the end the potentials are a **certificate**: a feasible dual solution
 * whose value equals the assignment's cost, so the assignment is optimal.
 *
 * Before the searches, faster steps place most rows and bring the potentials close to optimal.
 * None of them is trusted: a result reached through them is kept only when the certificate
 * checks out; otherwise it is dropped and the problem solved again by the plain method (row
 * reduction from zero potentials, then the searches, which keep the certificate by
 * construction). So these steps change the time, never the answer:
 *
 * - **Shortlist** (matrices wider than 128 columns, and sparse problems without teams with more
 *   than 128 pairs per row on average): each row keeps its 32 cheapest pairs and each column its
 *   cheapest; that smaller problem is solved sparse, and its potentials are checked against
 *   every pair left out (`O(rows × cols)` or `O(pairs)`). On the usual costs the optimum uses
 *   only cheap pairs and the check passes.
 * - **Column reduction and reduction transfer** (Jonker–Volgenant; matrices with no more
 *   columns than rows), then **augmenting row reduction**: each free row takes its cheapest
 *   column, lowering that column's potential to the row's second-cheapest reduced cost, and the
 *   row it displaces goes on (at most 16 row scans per row).
 * - **ε-scaling** (sparse): the row reduction first runs as an auction whose bids are raised by
 *   ε, with ε from an eighth of the largest cost down to a millionth of it (divided by 5 each
 *   phase, every row released between phases), then once more exactly.
 *
 * **`solveDense`** (a full matrix, capacity 1, no teams) scans a reached row over all columns
 * with an array instead of a heap: `O(rows² × cols)` in the worst case, much less on typical
 * costs; memory `O(rows + cols)` besides the matrix (plus the shortlist). A dense problem with
 * capacities or teams goes to the sparse solver (its infinite costs left out).
 *
 * **`solveSparse`** (feasible pairs as adjacency lists) runs Dijkstra with an indexed binary heap
 * on the flow network `row → [team gate] → column → sink`, stops as soon as the cheapest sink is
 * known and updates only the nodes it settled: `O(rows × pairs × log nodes)` in the worst case.
 * Capacities are native (a column with room is a sink, a full one leads back to all its rows).
 * The team rule is exact: a row of team `t` reaches column `j` through a gate `(j, t)` of
 * capacity 1, shared by the team.
 *
 * Costs are doubles: the solution is optimal up to floating-point rounding (the certificate is
 * checked with a tolerance of `1e-9 × (1 + max|c|)` per pair); exact for integer costs whose
 * sums stay below 2^53. `total` and `penalty` are summed from the chosen pairs in row order,
 * not read from the potentials. Measured speed: `packages/bench/README.md`, section `assign`.
 *
 * ## Ties
 *
 * The result is deterministic: the same input gives the same assignment, every time and on
 * every platform (no randomness, no clock, no hashing order). When several assignments are
 * optimal, the one returned follows from fixed rules of the steps above (rows taken in index
 * order; in a search, a column with room before a full one at the same distance, then the lower
 * index; nodes of equal distance settled rows first, then columns, then gates, lower index
 * first; leaving a row unassigned only when strictly cheaper than the column path found), not
 * from a stated preference between optimal assignments: the same problem given as a matrix or
 * as pairs may get another of the optimal assignments, with the same objective.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import * as Assignment from "./Assignment.js"
 *
 * // two requests, three volunteers; Infinity: that volunteer cannot take that request
 * const solution = Result.getOrThrow(Assignment.solveDense({
 *   rows: 2,
 *   cols: 3,
 *   costs: [4, 1, Infinity,
 *           2, 1, 5]
 * }))
 * solution.assignment // Int32Array [1, 0]: request 0 → volunteer 1, request 1 → volunteer 0
 * solution.total      // 3
 * ```
 *
 * @module
 */
import { Result } from "effect"
import { type InputIssue, InvalidInput, MAX_LISTED_ISSUES } from "../kernel/Errors.js"

/** The options every problem shape shares. */
export interface Options {
  /**
   * How many rows column `j` may take (a non-negative integer each; `0` closes the column).
   * Default: 1 for every column.
   */
  readonly capacity?: ArrayLike<number> | undefined
  /**
   * The team of row `i` (an integer `≥ 0`), or `-1` for none. Rows of one team never take the
   * same column. Default: no teams.
   */
  readonly team?: ArrayLike<number> | undefined
  /**
   * What leaving a row unassigned costs: one finite number for every row, or one per row.
   * Default: {@link defaultUnassignedCost} of the problem (assign as many rows as possible).
   */
  readonly unassignedCost?: number | ArrayLike<number> | undefined
}

/**
 * A problem given as a full cost matrix, row-major (`costs[i × cols + j]` is the cost of row `i`
 * on column `j`); `Infinity` marks an infeasible pair.
 *
 * @example
 * ```ts
 * const problem: Assignment.DenseProblem = { rows: 2, cols: 2, costs: new Float64Array([1, 2, 3, Infinity]) }
 * ```
 */
export interface DenseProblem extends Options {
  readonly rows: number
  readonly cols: number
  /** `rows × cols` numbers, finite or `Infinity` (infeasible); `NaN` and `-Infinity` are refused. */
  readonly costs: ArrayLike<number>
}

/**
 * A problem given by its feasible pairs, in compressed rows: the pairs of row `i` are the
 * indices `rowStart[i] ≤ e < rowStart[i + 1]`, with column `edgeCol[e]` and finite cost
 * `edgeCost[e]`. {@link sparseRows} builds these arrays from per-row lists.
 *
 * @example
 * ```ts
 * // row 0: column 1 at cost 5; row 1: columns 0 and 1 at cost 2 and 3
 * const problem: Assignment.SparseProblem = {
 *   rows: 2, cols: 2,
 *   rowStart: [0, 1, 3], edgeCol: [1, 0, 1], edgeCost: [5, 2, 3]
 * }
 * ```
 */
export interface SparseProblem extends Options {
  readonly rows: number
  readonly cols: number
  /** `rows + 1` non-decreasing offsets, from 0 to the number of pairs. */
  readonly rowStart: ArrayLike<number>
  /** The column of each pair, an integer in `[0, cols)`. */
  readonly edgeCol: ArrayLike<number>
  /** The cost of each pair, finite. */
  readonly edgeCost: ArrayLike<number>
}

/**
 * An optimal solution.
 *
 * @example
 * ```ts
 * const s = Result.getOrThrow(Assignment.solveDense({ rows: 1, cols: 1, costs: [7], unassignedCost: 5 }))
 * // s.assignment: Int32Array [-1], s.total: 0, s.penalty: 5, s.objective: 5, s.assigned: 0
 * ```
 */
export interface Solution {
  /** The column of each row, or `-1` when the row is left unassigned. */
  readonly assignment: Int32Array
  /** The sum of the costs of the assigned pairs (in row order). */
  readonly total: number
  /** The sum of the unassigned costs of the rows left unassigned. */
  readonly penalty: number
  /** `total + penalty`: what the solution minimises. */
  readonly objective: number
  /** How many rows are assigned. */
  readonly assigned: number
  /** The unassigned cost each row had (the default filled in when none was given). */
  readonly unassignedCost: Float64Array
}

/**
 * The unassigned cost used when none is given: `2 × rows × maxAbsCost + 1`. Any solution that
 * assigns more rows then has a smaller objective than any that assigns fewer, because two
 * totals differ by at most `2 × rows × maxAbsCost`.
 *
 * @example
 * ```ts
 * Assignment.defaultUnassignedCost(3, 10) // 61
 * ```
 */
export const defaultUnassignedCost = (rows: number, maxAbsCost: number): number => 2 * rows * maxAbsCost + 1

/**
 * Compressed rows (see {@link SparseProblem}) from one list of `[column, cost]` pairs per row.
 *
 * @example
 * ```ts
 * Assignment.sparseRows([[[1, 5]], [[0, 2], [1, 3]]])
 * // { rowStart: Int32Array [0, 1, 3], edgeCol: Int32Array [1, 0, 1], edgeCost: Float64Array [5, 2, 3] }
 * ```
 */
export const sparseRows = (
  lists: ReadonlyArray<ReadonlyArray<readonly [column: number, cost: number]>>
): { rowStart: Int32Array; edgeCol: Int32Array; edgeCost: Float64Array } => {
  let size = 0
  for (const list of lists) size += list.length
  const rowStart = new Int32Array(lists.length + 1)
  const edgeCol = new Int32Array(size)
  const edgeCost = new Float64Array(size)
  let e = 0
  lists.forEach((list, i) => {
    for (const [col, cost] of list) {
      edgeCol[e] = col
      edgeCost[e] = cost
      e++
    }
    rowStart[i + 1] = e
  })
  return { rowStart, edgeCol, edgeCost }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Collects issues, listing at most {@link MAX_LISTED_ISSUES} and counting the rest. */
class Issues {
  readonly list: Array<InputIssue> = []
  count = 0
  add(field: string, message: string): void {
    if (this.list.length < MAX_LISTED_ISSUES) this.list.push({ field, message })
    this.count++
  }
  get empty(): boolean {
    return this.count === 0
  }
  fail(): InvalidInput {
    const more = this.count - this.list.length
    return InvalidInput.many(
      more === 0
        ? this.list
        : [...this.list, { field: "input", message: `and ${more} more issues not listed / 另有 ${more} 个问题未列出` }]
    )
  }
}

const isSize = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0

interface Checked {
  readonly capacity: Int32Array | null
  readonly team: Int32Array | null
  readonly unassignedCost: Float64Array | null
}

const checkOptions = (options: Options, rows: number, cols: number, issues: Issues): Checked => {
  let capacity: Int32Array | null = null
  if (options.capacity !== undefined) {
    if (options.capacity.length !== cols) {
      issues.add("capacity", `must have one entry per column (${cols}) / 每个志愿者需要一个容量值`)
    } else {
      capacity = new Int32Array(cols)
      for (let j = 0; j < cols; j++) {
        const c = options.capacity[j]!
        if (!Number.isInteger(c) || c < 0) {
          issues.add(`capacity[${j}]`, "must be a non-negative integer / 容量必须是非负整数")
        } else capacity[j] = Math.min(c, 0x7fffffff)
      }
    }
  }
  let team: Int32Array | null = null
  if (options.team !== undefined) {
    if (options.team.length !== rows) {
      issues.add("team", `must have one entry per row (${rows}) / 每个请求需要一个团队编号`)
    } else {
      team = new Int32Array(rows)
      for (let i = 0; i < rows; i++) {
        const t = options.team[i]!
        if (!Number.isSafeInteger(t) || t < -1 || t > 0x7fffffff) {
          issues.add(`team[${i}]`, "must be an integer ≥ 0, or -1 for none / 团队编号必须是非负整数，无团队为 -1")
        } else team[i] = t
      }
    }
  }
  let unassignedCost: Float64Array | null = null
  const u = options.unassignedCost
  if (typeof u === "number") {
    if (!Number.isFinite(u)) issues.add("unassignedCost", "must be a finite number / 必须是有限数值")
    else unassignedCost = new Float64Array(rows).fill(u)
  } else if (u !== undefined) {
    if (u.length !== rows) {
      issues.add("unassignedCost", `must have one entry per row (${rows}) / 每个请求需要一个未分配代价`)
    } else {
      unassignedCost = new Float64Array(rows)
      for (let i = 0; i < rows; i++) {
        const x = u[i]!
        if (typeof x !== "number" || !Number.isFinite(x)) {
          issues.add(`unassignedCost[${i}]`, "must be a finite number / 必须是有限数值")
        } else unassignedCost[i] = x
      }
    }
  }
  return { capacity, team, unassignedCost }
}

// ---------------------------------------------------------------------------------------------
// Dense solver (capacity 1, no teams)
// ---------------------------------------------------------------------------------------------

/** How many row scans (of `cols` entries) the dense row reduction may take, per row. */
const ARR_SCANS = 16

/**
 * Augmenting row reduction (Jonker–Volgenant), two passes over the free rows: each takes its
 * cheapest column in reduced cost, lowering that column's potential to its second cheapest so
 * that the pair stays tight, and the row it displaces goes on. Only columns that become assigned
 * are lowered. A row whose cheapest option is leaving it unassigned
 * waits for the shortest-path phase. Returns the rows left free, in index order.
 */
const denseReduce = (
  m: number,
  C: Float64Array,
  pen: Float64Array,
  u: Float64Array,
  v: Float64Array,
  col4row: Int32Array,
  row4col: Int32Array,
  free: Int32Array,
  freeCount: number,
  scans: number
): Array<number> => {
  let numFree = freeCount
  const later: Array<number> = []
  let budget = scans
  for (let pass = 0; pass < 2; pass++) {
    let k = 0
    const previous = numFree
    numFree = 0
    while (k < previous) {
      if (budget <= 0) {
        while (k < previous) free[numFree++] = free[k++]!
        break
      }
      budget--
      const i = free[k++]!
      const off = i * m
      let umin = pen[i]!
      let usub = Number.POSITIVE_INFINITY
      let j1 = -1
      let j2 = -1
      for (let j = 0; j < m; j++) {
        const h = C[off + j]! - v[j]!
        if (h < usub) {
          if (h >= umin) {
            usub = h
            j2 = j
          } else {
            usub = umin
            j2 = j1
            umin = h
            j1 = j
          }
        }
      }
      if (j1 === -1) {
        later.push(i)
        continue
      }
      let i0 = row4col[j1]!
      if (umin < usub) v[j1] = v[j1]! - (usub - umin)
      else if (i0 !== -1) {
        if (j2 === -1) {
          later.push(i)
          continue
        }
        j1 = j2
        i0 = row4col[j2]!
      }
      col4row[i] = j1
      row4col[j1] = i
      u[i] = C[off + j1]! - v[j1]!
      if (i0 !== -1) {
        col4row[i0] = -1
        if (umin < usub) free[--k] = i0
        else free[numFree++] = i0
      }
    }
  }
  for (let k = 0; k < numFree; k++) later.push(free[k]!)
  return later.sort((x, y) => x - y)
}

/**
 * Shortest augmenting paths over a full matrix (Crouse's variant of Jonker–Volgenant), with a
 * private "unassigned" column per row at cost `pen[i]`. Returns the column of each row or -1,
 * or `null` when `reduceColumns` was asked and the result could not be certified optimal (the
 * caller then solves again without it).
 */
const denseCore = (
  n: number,
  m: number,
  C: Float64Array,
  pen: Float64Array,
  reduceColumns: boolean
): Int32Array | null => {
  const u = new Float64Array(n)
  const v = new Float64Array(m)
  const col4row = new Int32Array(n).fill(-1)
  const row4col = new Int32Array(m).fill(-1)
  const key = new Float64Array(m)
  const path = new Int32Array(m)
  const scannedCols = new Int32Array(m)
  const scannedKey = new Float64Array(m)
  const scannedRows = new Int32Array(n)
  const free = new Int32Array(n)
  let numFree = 0

  if (reduceColumns) {
    // Column reduction and reduction transfer (Jonker–Volgenant): each column's potential is its
    // cheapest cost, and goes to that row when it has no cheaper column yet. Free columns may
    // then end with different potentials, which the shortest-path phase does not account for:
    // the result is checked at the end (and solved again without this step if it fails).
    const colMin = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
    const colArg = new Int32Array(m).fill(-1)
    for (let i = 0; i < n; i++) {
      if (pen[i]! < 0) continue
      const off = i * m
      for (let j = 0; j < m; j++) {
        const c = C[off + j]!
        if (c < colMin[j]!) {
          colMin[j] = c
          colArg[j] = i
        }
      }
    }
    const matches = new Int32Array(n)
    for (let j = m - 1; j >= 0; j--) {
      const i = colArg[j]!
      if (i === -1) continue
      v[j] = colMin[j]!
      if (++matches[i]! === 1) {
        col4row[i] = j
        row4col[j] = i
      } else if (v[j]! < v[col4row[i]!]!) {
        row4col[col4row[i]!] = -1
        col4row[i] = j
        row4col[j] = i
      }
    }
    for (let i = 0; i < n; i++) {
      const j1 = col4row[i]!
      if (j1 === -1) {
        free[numFree++] = i
        continue
      }
      if (matches[i] === 1) {
        let min = pen[i]!
        const off = i * m
        for (let j = 0; j < m; j++) {
          if (j === j1) continue
          const h = C[off + j]! - v[j]!
          if (h < min) min = h
        }
        v[j1] = v[j1]! - min
      }
      u[i] = C[i * m + j1]! - v[j1]!
    }
  } else {
    for (let i = 0; i < n; i++) free[i] = i
    numFree = n
  }

  let maxAbs = 0
  for (let k = 0; k < n * m; k++) {
    const c = C[k]!
    if (c !== Number.POSITIVE_INFINITY && Math.abs(c) > maxAbs) maxAbs = Math.abs(c)
  }
  const tolerance = 1e-9 * (1 + maxAbs)
  const later = denseReduce(m, C, pen, u, v, col4row, row4col, free, numFree, ARR_SCANS * n)

  for (const s of later) {
    if (col4row[s] !== -1) continue
    key.fill(Number.POSITIVE_INFINITY)
    let numScannedCols = 0
    let numScannedRows = 0
    let minVal = 0
    let i = s
    let sink = -1
    let dummyVal = Number.POSITIVE_INFINITY
    let dummyRow = -1
    for (;;) {
      scannedRows[numScannedRows++] = i
      const base = minVal - u[i]!
      const off = i * m
      let lowest = Number.POSITIVE_INFINITY
      let lowestCol = -1
      let lowestFree = false
      // reached columns hold NaN: both comparisons fail, so they are skipped without a branch
      for (let j = 0; j < m; j++) {
        const r = base + C[off + j]! - v[j]!
        let d = key[j]!
        if (r < d) {
          path[j] = i
          key[j] = r
          d = r
        }
        if (d <= lowest) {
          const isFree = row4col[j] === -1
          if (d < lowest || (isFree && !lowestFree)) {
            lowest = d
            lowestCol = j
            lowestFree = isFree
          }
        }
      }
      const dv = base + pen[i]!
      if (dv < dummyVal) {
        dummyVal = dv
        dummyRow = i
      }
      if (dummyVal < lowest || lowestCol === -1 || lowest === Number.POSITIVE_INFINITY) {
        minVal = dummyVal
        break
      }
      minVal = lowest
      const j = lowestCol
      scannedCols[numScannedCols] = j
      scannedKey[numScannedCols++] = lowest
      key[j] = Number.NaN
      if (lowestFree) {
        sink = j
        break
      }
      i = row4col[j]!
    }

    // potentials: reduced costs stay non-negative, the path becomes tight (row k > 0 of the
    // search was reached through column k - 1)
    u[s] = u[s]! + minVal
    for (let k = 1; k < numScannedRows; k++) {
      const r = scannedRows[k]!
      u[r] = u[r]! + minVal - scannedKey[k - 1]!
    }
    for (let k = 0; k < numScannedCols; k++) {
      const j = scannedCols[k]!
      v[j] = v[j]! - (minVal - scannedKey[k]!)
    }

    // flip the path
    let j: number
    if (sink === -1) {
      // the path ends with `dummyRow` leaving its column for its "unassigned" slot
      j = col4row[dummyRow]!
      col4row[dummyRow] = -1
      if (dummyRow === s) continue
    } else j = sink
    for (;;) {
      const r = path[j]!
      row4col[j] = r
      const next = col4row[r]!
      col4row[r] = j
      if (r === s) break
      j = next
    }
  }
  if (!reduceColumns) return col4row
  // the certificate: one sink potential t with  v[used] ≤ t ≤ v[free],  t ≤ pen − u (assigned rows)
  // and  t ≥ pen − u (unassigned rows); then no cycle through the sink can lower the cost
  let low = Number.NEGATIVE_INFINITY
  let high = Number.POSITIVE_INFINITY
  for (let j = 0; j < m; j++) {
    const x = v[j]!
    if (row4col[j] === -1) high = Math.min(high, x)
    else low = Math.max(low, x)
  }
  for (let i = 0; i < n; i++) {
    const x = pen[i]! - u[i]!
    if (col4row[i] === -1) low = Math.max(low, x)
    else high = Math.min(high, x)
  }
  return low <= high + tolerance ? col4row : null
}

// ---------------------------------------------------------------------------------------------
// Sparse solver (capacities, teams)
// ---------------------------------------------------------------------------------------------

/**
 * An indexed binary min-heap of nodes by (key, node): each node at most once, its key lowered in
 * place; ties by lower node, so the settle order is deterministic.
 */
class Heap {
  readonly keys: Float64Array
  readonly nodes: Int32Array
  readonly pos: Int32Array
  size = 0
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity)
    this.nodes = new Int32Array(capacity)
    this.pos = new Int32Array(capacity).fill(-1)
  }
  clear(): void {
    for (let k = 0; k < this.size; k++) this.pos[this.nodes[k]!] = -1
    this.size = 0
  }
  /** Inserts `node` with `key`, or lowers its key when it is in the heap already. */
  set(node: number, key: number): void {
    const keys = this.keys
    const nodes = this.nodes
    const pos = this.pos
    let k = pos[node]!
    if (k === -1) k = this.size++
    while (k > 0) {
      const p = (k - 1) >> 1
      const pk = keys[p]!
      if (pk < key || (pk === key && nodes[p]! < node)) break
      keys[k] = pk
      const pn = nodes[p]!
      nodes[k] = pn
      pos[pn] = k
      k = p
    }
    keys[k] = key
    nodes[k] = node
    pos[node] = k
  }
  /** Removes and returns the node on top; its key is `keys[0]` before the call. */
  pop(): number {
    const keys = this.keys
    const nodes = this.nodes
    const pos = this.pos
    const top = nodes[0]!
    pos[top] = -1
    const size = --this.size
    if (size === 0) return top
    const key = keys[size]!
    const node = nodes[size]!
    let k = 0
    for (;;) {
      let c = 2 * k + 1
      if (c >= size) break
      let ck = keys[c]!
      if (c + 1 < size) {
        const rk = keys[c + 1]!
        if (rk < ck || (rk === ck && nodes[c + 1]! < nodes[c]!)) {
          c++
          ck = rk
        }
      }
      if (key < ck || (key === ck && node < nodes[c]!)) break
      keys[k] = ck
      const cn = nodes[c]!
      nodes[k] = cn
      pos[cn] = k
      k = c
    }
    keys[k] = key
    nodes[k] = node
    pos[node] = k
    return top
  }
}

/** The sparse solver's arrays (nodes: rows `[0, n)`, columns `[n, n + m)`, gates after). */
interface Network {
  readonly n: number
  readonly m: number
  readonly rowStart: Int32Array
  readonly edgeCol: Int32Array
  readonly edgeCost: Float64Array
  /** The node each pair leads to: its column, or its team gate. */
  readonly target: Int32Array
  readonly edgeGate: Int32Array
  readonly gateCol: Int32Array
  readonly gateUser: Int32Array
  readonly team: Int32Array | null
  readonly pen: Float64Array
  readonly cap: Int32Array
  readonly pot: Float64Array
  readonly dist: Float64Array
  readonly seen: Int32Array
  readonly pred: Int32Array
  readonly predEdge: Int32Array
  readonly settled: Int32Array
  /** The pair each row holds, or -1. */
  readonly rowEdge: Int32Array
  readonly load: Int32Array
  /** The rows each column holds, as a doubly linked list. */
  readonly head: Int32Array
  readonly next: Int32Array
  readonly prev: Int32Array
  readonly heap: Heap
  stamp: number
  /** The sink's potential: at most every column-with-room's and every assigned row's `pen + pot`. */
  sink: number
  best: number
  bestFrom: number
  numSettled: number
}

const detach = (net: Network, r: number): void => {
  const { edgeCol, edgeGate, rowEdge, head, next, prev, load, gateUser } = net
  const old = rowEdge[r]!
  const j = edgeCol[old]!
  const pr = prev[r]!
  const nx = next[r]!
  if (pr === -1) head[j] = nx
  else next[pr] = nx
  if (nx !== -1) prev[nx] = pr
  load[j] = load[j]! - 1
  const g = edgeGate[old]!
  if (g >= 0) gateUser[g] = -1
  rowEdge[r] = -1
}

const attach = (net: Network, r: number, e: number): void => {
  const { edgeCol, edgeGate, rowEdge, head, next, prev, load, gateUser } = net
  rowEdge[r] = e
  const j = edgeCol[e]!
  const h = head[j]!
  next[r] = h
  prev[r] = -1
  if (h !== -1) prev[h] = r
  head[j] = r
  load[j] = load[j]! + 1
  const g = edgeGate[e]!
  if (g >= 0) gateUser[g] = r
}

const buildNetwork = (
  n: number,
  m: number,
  rowStart: Int32Array,
  edgeCol: Int32Array,
  edgeCost: Float64Array,
  capacity: Int32Array | null,
  team: Int32Array | null,
  pen: Float64Array
): Network => {
  const E = edgeCol.length
  // targets: the column node, or a team gate shared by the team's rows on that column
  const target = new Int32Array(E)
  const edgeGate = new Int32Array(E).fill(-1)
  const gateColList: Array<number> = []
  if (team === null) {
    for (let e = 0; e < E; e++) target[e] = n + edgeCol[e]!
  } else {
    const gates = new Map<number, number>()
    let teams = 0
    for (let i = 0; i < n; i++) teams = Math.max(teams, team[i]! + 1)
    for (let i = 0; i < n; i++) {
      const t = team[i]!
      for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
        const j = edgeCol[e]!
        if (t < 0) {
          target[e] = n + j
          continue
        }
        const key = j * teams + t
        let g = gates.get(key)
        if (g === undefined) {
          g = gateColList.length
          gates.set(key, g)
          gateColList.push(j)
        }
        edgeGate[e] = g
        target[e] = n + m + g
      }
    }
  }
  const G = gateColList.length
  const N = n + m + G
  return {
    n,
    m,
    rowStart,
    edgeCol,
    edgeCost,
    target,
    edgeGate,
    gateCol: Int32Array.from(gateColList),
    gateUser: new Int32Array(G).fill(-1),
    team,
    pen,
    cap: capacity ?? new Int32Array(m).fill(1),
    pot: new Float64Array(N),
    dist: new Float64Array(N),
    seen: new Int32Array(N),
    pred: new Int32Array(N),
    predEdge: new Int32Array(N),
    settled: new Int32Array(N),
    rowEdge: new Int32Array(n).fill(-1),
    load: new Int32Array(m),
    head: new Int32Array(m).fill(-1),
    next: new Int32Array(n),
    prev: new Int32Array(n),
    heap: new Heap(N),
    stamp: 0,
    sink: 0,
    best: 0,
    bestFrom: -1,
    numSettled: 0
  }
}

/**
 * Augmenting row reduction, as in the dense solver, for rows without a team: the cheapest pair
 * in reduced cost, its column lowered to the second cheapest when that fills it; a full column
 * of capacity 1 gives up its row, which goes on. Columns with room keep potential 0. Returns the
 * rows left for the shortest-path phase, in index order.
 */
const sparseReduce = (net: Network, budgetPerPair: number, eps: number): Array<number> => {
  const { n, rowStart, edgeCol, edgeCost, pot, pen, cap, load, head, team } = net
  const free = new Int32Array(n)
  for (let i = 0; i < n; i++) free[i] = i
  let numFree = n
  const later: Array<number> = []
  let budget = budgetPerPair * (edgeCol.length + n)
  for (let pass = 0; pass < 2; pass++) {
    let k = 0
    const previous = numFree
    numFree = 0
    while (k < previous) {
      if (budget <= 0) {
        while (k < previous) free[numFree++] = free[k++]!
        break
      }
      const i = free[k++]!
      if (team !== null && team[i]! >= 0) {
        later.push(i)
        continue
      }
      let umin = pen[i]!
      let usub = Number.POSITIVE_INFINITY
      let e1 = -1
      let e2 = -1
      const a = rowStart[i]!
      const b = rowStart[i + 1]!
      budget -= b - a + 1
      for (let e = a; e < b; e++) {
        const h = edgeCost[e]! - pot[n + edgeCol[e]!]!
        if (h < usub) {
          if (h >= umin) {
            usub = h
            e2 = e
          } else {
            usub = umin
            e2 = e1
            umin = h
            e1 = e
          }
        }
      }
      if (e1 === -1) {
        later.push(i)
        continue
      }
      let chosen = e1
      let displaced = -1
      let immediately = false
      const j1 = edgeCol[e1]!
      if (cap[j1] === 1 && (umin < usub || eps > 0)) {
        // the column fills up (or changes hands): lower it so that the pair is tight
        pot[n + j1] = pot[n + j1]! - (usub - umin) - eps
        if (load[j1]! > 0) {
          displaced = head[j1]!
          immediately = true
        }
      } else if (load[j1]! >= cap[j1]!) {
        // a tie on a full column of capacity 1 (take the second), or a full larger column
        if (e2 === -1 || cap[j1] !== 1) {
          later.push(i)
          continue
        }
        chosen = e2
        const j2 = edgeCol[e2]!
        if (load[j2]! >= cap[j2]!) {
          if (cap[j2] !== 1) {
            later.push(i)
            continue
          }
          displaced = head[j2]!
        }
      }
      if (displaced !== -1) detach(net, displaced)
      attach(net, i, chosen)
      pot[i] = pot[n + edgeCol[chosen]!]! - edgeCost[chosen]!
      if (displaced !== -1) {
        if (immediately) free[--k] = displaced
        else free[numFree++] = displaced
      }
    }
  }
  for (let k = 0; k < numFree; k++) later.push(free[k]!)
  return later.sort((x, y) => x - y)
}

/**
 * Dijkstra from the free row `s` on reduced costs, until the cheapest way to the sink is known:
 * a column with room, or a reached row (or `s`) left unassigned. Sets `best`, `bestFrom`, the
 * settled nodes, and the potentials of the settled nodes.
 */
const sparseSearch = (net: Network, s: number): void => {
  const { n, m, rowStart, edgeCost, target, edgeGate, gateCol, gateUser, pen, cap, pot, dist, seen } = net
  const { pred, predEdge, settled, rowEdge, load, head, next, heap } = net
  const stamp = ++net.stamp
  const sink = net.sink
  // a potential for the new row that makes its arcs' reduced costs non-negative
  const s0 = rowStart[s]!
  const s1 = rowStart[s + 1]!
  let ps = sink - pen[s]!
  for (let e = s0; e < s1; e++) {
    const t = pot[target[e]!]! - edgeCost[e]!
    if (t > ps) ps = t
  }
  pot[s] = ps
  heap.clear()
  dist[s] = 0
  seen[s] = stamp
  pred[s] = -1
  heap.set(s, 0)
  let best = Number.POSITIVE_INFINITY
  let bestFrom = -1
  let numSettled = 0
  const nm = n + m
  // seen[x] === stamp: reached; seen[x] === -stamp: settled
  while (heap.size > 0) {
    const d = heap.keys[0]!
    if (d > best || (d === best && bestFrom >= n)) break
    const x = heap.pop()
    seen[x] = -stamp
    settled[numSettled++] = x
    const px = pot[x]!
    if (x < n) {
      // a row: any of its other pairs, or the sink by leaving it unassigned
      const cur = rowEdge[x]!
      if (x === s || cur >= 0) {
        const c = d + pen[x]! + px - sink
        if (c < best) {
          best = c
          bestFrom = x
        }
      }
      const e1 = rowStart[x + 1]!
      for (let e = rowStart[x]!; e < e1; e++) {
        const y = target[e]!
        const sy = seen[y]!
        if (sy === -stamp || e === cur) continue
        const nd = d + edgeCost[e]! + px - pot[y]!
        if (sy !== stamp || nd < dist[y]!) {
          seen[y] = stamp
          dist[y] = nd
          pred[y] = x
          predEdge[y] = e
          heap.set(y, nd)
        }
      }
    } else if (x < nm) {
      // a column: the sink if it has room, and back to each row it holds
      const j = x - n
      if (load[j]! < cap[j]!) {
        const c = d + px - sink
        if (c < best || (c === best && bestFrom < n)) {
          best = c
          bestFrom = x
        }
      }
      for (let r = head[j]!; r !== -1; r = next[r]!) {
        const e = rowEdge[r]!
        const g = edgeGate[e]!
        const y = g >= 0 ? nm + g : r
        const sy = seen[y]!
        if (sy === -stamp) continue
        const nd = g >= 0 ? d + px - pot[y]! : d - edgeCost[e]! + px - pot[y]!
        if (sy !== stamp || nd < dist[y]!) {
          seen[y] = stamp
          dist[y] = nd
          pred[y] = x
          predEdge[y] = -1
          heap.set(y, nd)
        }
      }
    } else {
      // a gate: on to its column when free, else back to the team member holding it
      const g = x - nm
      const user = gateUser[g]!
      const y = user === -1 ? n + gateCol[g]! : user
      const sy = seen[y]!
      if (sy === -stamp) continue
      const nd = user === -1 ? d + px - pot[y]! : d - edgeCost[rowEdge[user]!]! + px - pot[y]!
      if (sy !== stamp || nd < dist[y]!) {
        seen[y] = stamp
        dist[y] = nd
        pred[y] = x
        predEdge[y] = -1
        heap.set(y, nd)
      }
    }
  }
  for (let k = 0; k < numSettled; k++) {
    const x = settled[k]!
    pot[x] = pot[x]! + dist[x]! - best
  }
  net.best = best
  net.bestFrom = bestFrom
  net.numSettled = numSettled
}

/** Flips the path found by {@link sparseSearch}: every row on it moves to its next pair. */
const sparseAugment = (net: Network, s: number, moveRow: Array<number>, moveEdge: Array<number>): void => {
  const { n, pred, predEdge, rowEdge } = net
  moveRow.length = 0
  moveEdge.length = 0
  let node = net.bestFrom
  if (node < n) {
    moveRow.push(node)
    moveEdge.push(-1)
  }
  while (node !== s) {
    const p = pred[node]!
    if (p < n && node >= n) {
      moveRow.push(p)
      moveEdge.push(predEdge[node]!)
    }
    node = p
  }
  for (let k = 0; k < moveRow.length; k++) {
    const r = moveRow[k]!
    if (rowEdge[r]! >= 0) detach(net, r)
  }
  for (let k = 0; k < moveRow.length; k++) {
    const e = moveEdge[k]!
    if (e >= 0) attach(net, moveRow[k]!, e)
  }
}

/**
 * Whether the potentials certify the flow optimal: one sink potential `t` with `pot[col] ≤ t` for
 * every column holding rows, `t ≤ pot[col]` for every column with room, `t ≤ pen + pot[row]` for
 * every assigned row and `t ≥ pen + pot[row]` for every unassigned one (every other arc's
 * reduced cost is non-negative by construction). Compared with a tolerance for rounding.
 */
const certified = (net: Network, tolerance: number): boolean => {
  const { n, m, pot, load, cap, pen, rowEdge } = net
  let low = Number.NEGATIVE_INFINITY
  let high = Number.POSITIVE_INFINITY
  for (let j = 0; j < m; j++) {
    const x = pot[n + j]!
    if (load[j]! > 0) low = Math.max(low, x)
    if (load[j]! < cap[j]!) high = Math.min(high, x)
  }
  for (let i = 0; i < n; i++) {
    const x = pen[i]! + pot[i]!
    if (rowEdge[i] === -1) low = Math.max(low, x)
    else high = Math.min(high, x)
  }
  return low <= high + tolerance
}

/** Scan budget of the sparse row reduction, per pair and row of the problem: exact phase, each ε phase. */
const SPARSE_REDUCE_BUDGET = 8
const SPARSE_EPSILON_BUDGET = 4

/**
 * Successive shortest paths with Dijkstra on the network `row → [gate (j, team)] → column j →
 * sink`, each row also having an arc to the sink at `pen[i]`. Returns the pair chosen by each
 * row (an index into the edge arrays) or -1, or `null` when `scaled` was asked and the result
 * could not be certified optimal.
 *
 * With `scaled`, the row reduction first runs as an auction with ε-scaling (bids raised by ε,
 * ε divided by 5 from an eighth of the largest cost down to a millionth of it, every row
 * released between phases), which brings the potentials close to optimal quickly; the exact
 * phase and the shortest paths then have little left to do. Columns bid on in those phases may
 * end up with room and potentials below the others', which the certificate detects.
 */
const sparseCore = (
  n: number,
  m: number,
  rowStart: Int32Array,
  edgeCol: Int32Array,
  edgeCost: Float64Array,
  capacity: Int32Array | null,
  team: Int32Array | null,
  pen: Float64Array,
  scaled: boolean
): Network | null => {
  const net = buildNetwork(n, m, rowStart, edgeCol, edgeCost, capacity, team, pen)
  let maxAbs = 0
  for (let e = 0; e < edgeCost.length; e++) maxAbs = Math.max(maxAbs, Math.abs(edgeCost[e]!))
  if (scaled) {
    for (let eps = maxAbs / 8; eps > maxAbs * 1e-6; eps /= 5) {
      sparseReduce(net, SPARSE_EPSILON_BUDGET, eps)
      for (let i = 0; i < n; i++) if (net.rowEdge[i] !== -1) detach(net, i)
    }
  }
  const later = sparseReduce(net, SPARSE_REDUCE_BUDGET, 0)
  // the sink's potential: terminal arcs (columns with room, rows' "unassigned" arcs) non-negative
  let sink = 0
  for (let j = 0; j < m; j++) if (net.load[j]! < net.cap[j]!) sink = Math.min(sink, net.pot[n + j]!)
  for (let i = 0; i < n; i++) if (net.rowEdge[i] !== -1) sink = Math.min(sink, pen[i]! + net.pot[i]!)
  net.sink = sink
  const moveRow: Array<number> = []
  const moveEdge: Array<number> = []
  for (const s of later) {
    if (net.rowEdge[s] !== -1) continue
    sparseSearch(net, s)
    sparseAugment(net, s, moveRow, moveEdge)
  }
  if (scaled && !certified(net, 1e-9 * (1 + maxAbs))) return null
  return net
}

// ---------------------------------------------------------------------------------------------
// Public solvers
// ---------------------------------------------------------------------------------------------

/** The sparse solver with ε-scaling, or without it when that result is not certified. */
const solveNetwork = (
  n: number,
  m: number,
  rowStart: Int32Array,
  edgeCol: Int32Array,
  edgeCost: Float64Array,
  capacity: Int32Array | null,
  team: Int32Array | null,
  pen: Float64Array
): Network =>
  sparseCore(n, m, rowStart, edgeCol, edgeCost, capacity, team, pen, true) ??
  sparseCore(n, m, rowStart, edgeCol, edgeCost, capacity, team, pen, false)!

/** The `k`-th smallest (from 0) of `a[0 … count)`, reordering them (quickselect, middle pivot). */
const kthSmallest = (a: Float64Array, count: number, k: number): number => {
  let lo = 0
  let hi = count - 1
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        const x = a[i]!
        a[i] = a[j]!
        a[j] = x
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k]!
  }
  return a[k]!
}

/**
 * A sparse problem without teams solved on a shortlist, as {@link denseByShortlist} does for a
 * matrix: each row's `SHORTLIST` cheapest pairs and each column's cheapest pair, then the
 * potentials checked against every pair left out. Returns the pair each row holds (an index into
 * the given arrays) or -1, or `null` when the check fails.
 */
const sparseByShortlist = (
  n: number,
  m: number,
  rowStart: Int32Array,
  edgeCol: Int32Array,
  edgeCost: Float64Array,
  capacity: Int32Array | null,
  pen: Float64Array
): Int32Array | null => {
  const k = SHORTLIST
  const E = edgeCol.length
  const keep = new Uint8Array(E)
  const colMin = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
  const colArg = new Int32Array(m).fill(-1)
  let scratch = new Float64Array(64)
  let maxAbs = 0
  let size = 0
  for (let i = 0; i < n; i++) {
    const a = rowStart[i]!
    const b = rowStart[i + 1]!
    const count = b - a
    if (count > scratch.length) scratch = new Float64Array(count * 2)
    for (let e = a; e < b; e++) {
      const c = edgeCost[e]!
      scratch[e - a] = c
      if (Math.abs(c) > maxAbs) maxAbs = Math.abs(c)
      const j = edgeCol[e]!
      if (c < colMin[j]!) {
        colMin[j] = c
        colArg[j] = e
      }
    }
    const t = count <= k ? Number.POSITIVE_INFINITY : kthSmallest(scratch, count, k - 1)
    let kept = 0
    for (let e = a; e < b; e++) {
      if (edgeCost[e]! < t) {
        keep[e] = 1
        kept++
      }
    }
    for (let e = a; e < b && kept < k; e++) {
      if (edgeCost[e]! === t) {
        keep[e] = 1
        kept++
      }
    }
    size += kept
  }
  for (let j = 0; j < m; j++) {
    const e = colArg[j]!
    if (e !== -1 && keep[e] === 0) {
      keep[e] = 1
      size++
    }
  }
  const subStart = new Int32Array(n + 1)
  const subCol = new Int32Array(size)
  const subCost = new Float64Array(size)
  const original = new Int32Array(size)
  let f = 0
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      if (keep[e] === 0) continue
      subCol[f] = edgeCol[e]!
      subCost[f] = edgeCost[e]!
      original[f] = e
      f++
    }
    subStart[i + 1] = f
  }
  const net = solveNetwork(n, m, subStart, subCol, subCost, capacity, null, pen)
  const { pot, rowEdge } = net
  const tolerance = 1e-9 * (1 + maxAbs)
  for (let i = 0; i < n; i++) {
    const pi = pot[i]!
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      if (keep[e] === 0 && edgeCost[e]! + pi - pot[n + edgeCol[e]!]! < -tolerance) return null
    }
  }
  const chosen = new Int32Array(n)
  for (let i = 0; i < n; i++) chosen[i] = rowEdge[i]! >= 0 ? original[rowEdge[i]!]! : -1
  return chosen
}

/** How many of its cheapest pairs each row keeps when a dense problem is first solved sparse. */
const SHORTLIST = 32

/**
 * A dense problem solved on a shortlist: each row's `SHORTLIST` cheapest pairs (ties by lower
 * column) and each column's cheapest pair go to the sparse solver; its potentials are then
 * checked against every pair of the matrix (`c(i, j) − u[i] − v[j] ≥ 0`, up to rounding). When
 * they pass, the shortlist's optimum is the matrix's optimum (the potentials certify it); when
 * not, `null`, and the caller solves the full matrix. On the usual costs the optimum uses only
 * cheap pairs, so this does a fraction of the work.
 */
const denseByShortlist = (n: number, m: number, C: Float64Array, pen: Float64Array): Int32Array | null => {
  const k = Math.min(m, SHORTLIST)
  const best = new Float64Array(k)
  const threshold = new Float64Array(n)
  const colMin = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
  const colArg = new Int32Array(m).fill(-1)
  let maxAbs = 0
  for (let i = 0; i < n; i++) {
    const off = i * m
    let count = 0
    for (let j = 0; j < m; j++) {
      const c = C[off + j]!
      if (c === Number.POSITIVE_INFINITY) continue
      if (Math.abs(c) > maxAbs) maxAbs = Math.abs(c)
      if (c < colMin[j]!) {
        colMin[j] = c
        colArg[j] = i
      }
      if (count < k || c < best[k - 1]!) {
        // insertion into the k cheapest so far, ascending
        let p = count < k ? count++ : k - 1
        while (p > 0 && best[p - 1]! > c) {
          best[p] = best[p - 1]!
          p--
        }
        best[p] = c
      }
    }
    threshold[i] = count < k ? Number.POSITIVE_INFINITY : best[k - 1]!
  }
  // the shortlist, in compressed rows: each row's pairs below its threshold, then at it until k
  const lists: Array<Array<number>> = []
  for (let i = 0; i < n; i++) {
    const off = i * m
    const t = threshold[i]!
    const list: Array<number> = []
    for (let j = 0; j < m; j++) if (C[off + j]! < t) list.push(j)
    if (t !== Number.POSITIVE_INFINITY)
      for (let j = 0; j < m && list.length < k; j++) if (C[off + j]! === t) list.push(j)
    lists.push(list)
  }
  for (let j = 0; j < m; j++) {
    const i = colArg[j]!
    if (i !== -1 && C[i * m + j]! > threshold[i]!) lists[i]!.push(j)
  }
  let size = 0
  for (const list of lists) size += list.length
  const rowStart = new Int32Array(n + 1)
  const edgeCol = new Int32Array(size)
  const edgeCost = new Float64Array(size)
  let e = 0
  for (let i = 0; i < n; i++) {
    for (const j of lists[i]!) {
      edgeCol[e] = j
      edgeCost[e] = C[i * m + j]!
      e++
    }
    rowStart[i + 1] = e
  }
  const net = solveNetwork(n, m, rowStart, edgeCol, edgeCost, null, null, pen)
  // the certificate on the whole matrix: no pair left out has a negative reduced cost
  const { pot, rowEdge } = net
  const tolerance = 1e-9 * (1 + maxAbs)
  for (let i = 0; i < n; i++) {
    const off = i * m
    const pi = pot[i]!
    for (let j = 0; j < m; j++) {
      if (C[off + j]! + pi - pot[n + j]! < -tolerance) return null
    }
  }
  const assignment = new Int32Array(n)
  for (let i = 0; i < n; i++) assignment[i] = rowEdge[i]! >= 0 ? edgeCol[rowEdge[i]!]! : -1
  return assignment
}

const finish = (
  n: number,
  assignment: Int32Array,
  costOf: (i: number, j: number) => number,
  pen: Float64Array
): Solution => {
  let total = 0
  let penalty = 0
  let assigned = 0
  for (let i = 0; i < n; i++) {
    const j = assignment[i]!
    if (j >= 0) {
      total += costOf(i, j)
      assigned++
    } else penalty += pen[i]!
  }
  return { assignment, total, penalty, objective: total + penalty, assigned, unassignedCost: pen }
}

/**
 * Solves a problem given as a full cost matrix (see {@link DenseProblem}); `Infinity` marks an
 * infeasible pair. Without capacities other than 1 and without teams it runs the dense
 * shortest-augmenting-path solver; otherwise the sparse one on the finite entries.
 *
 * Fails with `InvalidInput` (bilingual, at most 20 issues listed) for sizes that are not
 * non-negative safe integers, a matrix of the wrong length, a `NaN` or `-Infinity` cost, or an
 * invalid option.
 *
 * @example
 * ```ts
 * const s = Result.getOrThrow(Assignment.solveDense({
 *   rows: 3, cols: 2,
 *   costs: [1, 2,
 *           1, 3,
 *           9, 9],
 *   unassignedCost: [10, 10, 4]
 * }))
 * // s.assignment: Int32Array [1, 0, -1]; s.total 3; s.penalty 4; s.objective 7
 * ```
 */
export const solveDense = (problem: DenseProblem): Result.Result<Solution, InvalidInput> => {
  const issues = new Issues()
  const { rows, cols, costs } = problem
  if (!isSize(rows)) issues.add("rows", "must be a non-negative integer / 必须是非负整数")
  if (!isSize(cols)) issues.add("cols", "must be a non-negative integer / 必须是非负整数")
  if (!issues.empty) return Result.fail(issues.fail())
  if (costs.length !== rows * cols) {
    issues.add("costs", `must have rows × cols = ${rows * cols} entries / 代价矩阵大小必须为 行数 × 列数`)
    return Result.fail(issues.fail())
  }
  const checked = checkOptions(problem, rows, cols, issues)
  let maxAbs = 0
  const size = rows * cols
  for (let k = 0; k < size; k++) {
    const c = costs[k]!
    if (c === Number.POSITIVE_INFINITY) continue
    if (typeof c !== "number" || !(c > Number.NEGATIVE_INFINITY)) {
      issues.add(
        `costs[${k}]`,
        "must be a finite number, or Infinity for an infeasible pair / 必须是有限数值，不可行的配对用 Infinity"
      )
      continue
    }
    const a = Math.abs(c)
    if (a > maxAbs) maxAbs = a
  }
  if (!issues.empty) return Result.fail(issues.fail())
  const pen = checked.unassignedCost ?? new Float64Array(rows).fill(defaultUnassignedCost(rows, maxAbs))
  const costOf = (i: number, j: number) => costs[i * cols + j]!
  const unitCapacity = checked.capacity === null || checked.capacity.every((c) => c === 1)
  const noTeams = checked.team === null || checked.team.every((t) => t === -1)
  if (unitCapacity && noTeams) {
    const matrix = costs instanceof Float64Array ? costs : Float64Array.from(costs)
    // column reduction pays off when the columns fill up (square or tall); it is certified
    const assignment =
      (cols > 4 * SHORTLIST ? denseByShortlist(rows, cols, matrix, pen) : null) ??
      (cols <= rows ? denseCore(rows, cols, matrix, pen, true) : null) ??
      denseCore(rows, cols, matrix, pen, false)!
    return Result.succeed(finish(rows, assignment, costOf, pen))
  }
  // capacities or teams: the sparse solver on the finite entries
  let edges = 0
  for (let k = 0; k < size; k++) if (costs[k]! !== Number.POSITIVE_INFINITY) edges++
  const rowStart = new Int32Array(rows + 1)
  const edgeCol = new Int32Array(edges)
  const edgeCost = new Float64Array(edges)
  let e = 0
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const c = costs[i * cols + j]!
      if (c === Number.POSITIVE_INFINITY) continue
      edgeCol[e] = j
      edgeCost[e] = c
      e++
    }
    rowStart[i + 1] = e
  }
  const chosen = solveNetwork(rows, cols, rowStart, edgeCol, edgeCost, checked.capacity, checked.team, pen).rowEdge
  const assignment = new Int32Array(rows)
  for (let i = 0; i < rows; i++) assignment[i] = chosen[i]! >= 0 ? edgeCol[chosen[i]!]! : -1
  return Result.succeed(finish(rows, assignment, costOf, pen))
}

/**
 * Solves a problem given by its feasible pairs (see {@link SparseProblem}), with capacities and
 * the team rule. Time grows with the pairs the searches touch, not with `rows × cols`.
 *
 * A row listing the same column twice may take it at the cheaper of the two costs. Fails with
 * `InvalidInput` (bilingual, at most 20 issues listed) for sizes that are not non-negative safe
 * integers, offsets that are not non-decreasing from 0 to the number of pairs, a column out of
 * range, a cost that is not finite, or an invalid option.
 *
 * @example
 * ```ts
 * // two roles of one team (rows 0 and 1), and volunteer 0 is everyone's favourite
 * const s = Result.getOrThrow(Assignment.solveSparse({
 *   rows: 2, cols: 2,
 *   ...Assignment.sparseRows([[[0, 1], [1, 4]], [[0, 1], [1, 3]]]),
 *   capacity: [2, 1],
 *   team: [7, 7]
 * }))
 * // s.assignment: Int32Array [0, 1] — volunteer 0 could take both, but not two roles of team 7
 * // s.total: 4
 * ```
 */
export const solveSparse = (problem: SparseProblem): Result.Result<Solution, InvalidInput> => {
  const issues = new Issues()
  const { rows, cols } = problem
  if (!isSize(rows)) issues.add("rows", "must be a non-negative integer / 必须是非负整数")
  if (!isSize(cols)) issues.add("cols", "must be a non-negative integer / 必须是非负整数")
  if (!issues.empty) return Result.fail(issues.fail())
  const E = problem.edgeCol.length
  if (problem.edgeCost.length !== E) {
    issues.add("edgeCost", "must have one cost per pair / 每个配对需要一个代价")
  }
  if (problem.rowStart.length !== rows + 1) {
    issues.add("rowStart", `must have rows + 1 = ${rows + 1} offsets / 偏移数组长度必须为 行数 + 1`)
  }
  if (!issues.empty) return Result.fail(issues.fail())
  const rowStart = Int32Array.from(problem.rowStart)
  if (problem.rowStart[0] !== 0 || problem.rowStart[rows] !== E) {
    issues.add("rowStart", "must start at 0 and end at the number of pairs / 偏移必须从 0 开始、以配对数结束")
  }
  for (let i = 0; i < rows; i++) {
    const a = problem.rowStart[i]!
    const b = problem.rowStart[i + 1]!
    if (!Number.isInteger(b) || b < a) {
      issues.add(`rowStart[${i + 1}]`, "must be a non-decreasing integer / 偏移必须是不减的整数")
    }
  }
  // typed arrays are used as they are (the solver never writes to them); others are copied
  const typed = problem.edgeCol instanceof Int32Array && problem.edgeCost instanceof Float64Array
  const edgeCol = problem.edgeCol instanceof Int32Array ? problem.edgeCol : new Int32Array(E)
  const edgeCost = problem.edgeCost instanceof Float64Array ? problem.edgeCost : new Float64Array(E)
  let maxAbs = 0
  if (typed) {
    for (let e = 0; e < E; e++) {
      const j = edgeCol[e]!
      const c = edgeCost[e]!
      if (j >= 0 && j < cols && c - c === 0) {
        const a = c < 0 ? -c : c
        if (a > maxAbs) maxAbs = a
        continue
      }
      if (j < 0 || j >= cols) issues.add(`edgeCol[${e}]`, `must be a column in [0, ${cols}) / 必须是有效的列号`)
      if (!(c - c === 0)) issues.add(`edgeCost[${e}]`, "must be a finite number / 必须是有限数值")
    }
  } else {
    for (let e = 0; e < E; e++) {
      const j = problem.edgeCol[e]!
      const c = problem.edgeCost[e]!
      if (!Number.isInteger(j) || j < 0 || j >= cols) {
        issues.add(`edgeCol[${e}]`, `must be a column in [0, ${cols}) / 必须是有效的列号`)
      } else edgeCol[e] = j
      if (typeof c !== "number" || !Number.isFinite(c)) {
        issues.add(`edgeCost[${e}]`, "must be a finite number / 必须是有限数值")
      } else {
        edgeCost[e] = c
        const a = Math.abs(c)
        if (a > maxAbs) maxAbs = a
      }
    }
  }
  const checked = checkOptions(problem, rows, cols, issues)
  if (!issues.empty) return Result.fail(issues.fail())
  const pen = checked.unassignedCost ?? new Float64Array(rows).fill(defaultUnassignedCost(rows, maxAbs))
  const noTeams = checked.team === null || checked.team.every((t) => t === -1)
  const chosen =
    (noTeams && E > 4 * SHORTLIST * rows
      ? sparseByShortlist(rows, cols, rowStart, edgeCol, edgeCost, checked.capacity, pen)
      : null) ?? solveNetwork(rows, cols, rowStart, edgeCol, edgeCost, checked.capacity, checked.team, pen).rowEdge
  const assignment = new Int32Array(rows)
  let total = 0
  let penalty = 0
  let assigned = 0
  for (let i = 0; i < rows; i++) {
    const e = chosen[i]!
    if (e >= 0) {
      assignment[i] = edgeCol[e]!
      total += edgeCost[e]!
      assigned++
    } else {
      assignment[i] = -1
      penalty += pen[i]!
    }
  }
  return Result.succeed({ assignment, total, penalty, objective: total + penalty, assigned, unassignedCost: pen })
}

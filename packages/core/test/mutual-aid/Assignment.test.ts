// The exact assignment solver under mutual aid's matching: optimal against a brute force on
// small instances (capacities, infeasible pairs, teams, unassigned costs) and against `munkres`
// on larger ones; valid, deterministic, and the dense and sparse solvers agree.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { munkres } from "munkres"
import * as Assignment from "../../src/mutual-aid/Assignment.js"

const INF = Number.POSITIVE_INFINITY

interface Small {
  readonly rows: number
  readonly cols: number
  /** row-major, INF = infeasible */
  readonly costs: ReadonlyArray<number>
  readonly capacity: ReadonlyArray<number> | undefined
  readonly team: ReadonlyArray<number> | undefined
  readonly unassignedCost: ReadonlyArray<number> | undefined
}

const options = (p: Small) => ({
  ...(p.capacity === undefined ? {} : { capacity: p.capacity }),
  ...(p.team === undefined ? {} : { team: p.team }),
  ...(p.unassignedCost === undefined ? {} : { unassignedCost: p.unassignedCost })
})

const dense = (p: Small): Assignment.Solution =>
  Result.getOrThrow(Assignment.solveDense({ rows: p.rows, cols: p.cols, costs: p.costs, ...options(p) }))

const toSparse = (p: Small) =>
  Assignment.sparseRows(
    Array.from({ length: p.rows }, (_, i) =>
      Array.from({ length: p.cols }, (_, j) => [j, p.costs[i * p.cols + j]!] as const).filter(([, c]) => c !== INF)
    )
  )

const sparse = (p: Small): Assignment.Solution =>
  Result.getOrThrow(Assignment.solveSparse({ rows: p.rows, cols: p.cols, ...toSparse(p), ...options(p) }))

/**
 * Every feasible assignment, searched in full. With unassigned costs: the least objective. Without:
 * the most rows assigned, then the least total (what the default unassigned cost must give).
 */
const bruteForce = (p: Small): { objective: number; assigned: number; total: number } => {
  const load = new Array<number>(p.cols).fill(0)
  const used = new Set<string>()
  let best = { objective: INF, assigned: -1, total: INF }
  const visit = (i: number, assigned: number, total: number, penalty: number) => {
    if (i === p.rows) {
      const better =
        p.unassignedCost === undefined
          ? assigned > best.assigned || (assigned === best.assigned && total < best.total)
          : total + penalty < best.objective
      if (better) best = { objective: total + penalty, assigned, total }
      return
    }
    visit(i + 1, assigned, total, penalty + (p.unassignedCost?.[i] ?? 0))
    const t = p.team?.[i] ?? -1
    for (let j = 0; j < p.cols; j++) {
      const c = p.costs[i * p.cols + j]!
      if (c === INF || load[j]! >= (p.capacity?.[j] ?? 1)) continue
      const gate = `${j}/${t}`
      if (t >= 0 && used.has(gate)) continue
      load[j]!++
      if (t >= 0) used.add(gate)
      visit(i + 1, assigned + 1, total + c, penalty)
      load[j]!--
      if (t >= 0) used.delete(gate)
    }
  }
  visit(0, 0, 0, 0)
  return best
}

/** The solution respects feasibility, capacities and the team rule, and its sums are its own. */
const expectValid = (p: Small, s: Assignment.Solution) => {
  expect(s.assignment.length).toBe(p.rows)
  const load = new Array<number>(p.cols).fill(0)
  const used = new Set<string>()
  let total = 0
  let assigned = 0
  s.assignment.forEach((j, i) => {
    if (j === -1) return
    const c = p.costs[i * p.cols + j]!
    expect(c).not.toBe(INF)
    total += c
    assigned++
    load[j]!++
    const t = p.team?.[i] ?? -1
    if (t >= 0) {
      expect(used.has(`${j}/${t}`)).toBe(false)
      used.add(`${j}/${t}`)
    }
  })
  load.forEach((l, j) => {
    expect(l).toBeLessThanOrEqual(p.capacity?.[j] ?? 1)
  })
  expect(s.assigned).toBe(assigned)
  expect(s.total).toBe(total)
}

/** Small instances with integer costs (so totals compare exactly), infeasible pairs, capacities and teams. */
const small = (withCapacity: boolean, withTeams: boolean, maxRows = 6, maxCols = 5): fc.Arbitrary<Small> =>
  fc
    .record({ rows: fc.integer({ min: 0, max: maxRows }), cols: fc.integer({ min: 0, max: maxCols }) })
    .chain(({ rows, cols }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        costs: fc.array(fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constant(INF)), {
          minLength: rows * cols,
          maxLength: rows * cols
        }),
        capacity: withCapacity
          ? fc.option(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: cols, maxLength: cols }), {
              nil: undefined
            })
          : fc.constant(undefined),
        team: withTeams
          ? fc.array(fc.integer({ min: -1, max: 2 }), { minLength: rows, maxLength: rows })
          : fc.constant(undefined),
        unassignedCost: fc.option(fc.array(fc.integer({ min: -3, max: 30 }), { minLength: rows, maxLength: rows }), {
          nil: undefined
        })
      })
    )

const expectOptimal = (p: Small, s: Assignment.Solution) => {
  const best = bruteForce(p)
  if (p.unassignedCost === undefined) {
    expect(s.assigned).toBe(best.assigned)
    expect(s.total).toBe(best.total)
  } else expect(s.objective).toBe(best.objective)
}

describe("Assignment against a brute force (small instances)", () => {
  it("solveDense, capacity 1 and no teams: the optimum", () => {
    fc.assert(
      fc.property(small(false, false), (p) => {
        const s = dense(p)
        expectValid(p, s)
        expectOptimal(p, s)
      }),
      { numRuns: 400 }
    )
  })

  it("solveDense and solveSparse up to 7 × 7 (capacity 1, teams): the optimum", () => {
    fc.assert(
      fc.property(small(false, true, 7, 7), (p) => {
        expectOptimal(p, sparse(p))
        const d = dense(p)
        expectValid(p, d)
        expectOptimal(p, d)
      }),
      { numRuns: 300 }
    )
  })

  it("solveSparse with capacities and teams: the optimum", () => {
    fc.assert(
      fc.property(small(true, true), (p) => {
        const s = sparse(p)
        expectValid(p, s)
        expectOptimal(p, s)
      }),
      { numRuns: 400 }
    )
  })

  it("solveDense with capacities and teams (through the sparse solver): the optimum", () => {
    fc.assert(
      fc.property(small(true, true), (p) => {
        const s = dense(p)
        expectValid(p, s)
        expectOptimal(p, s)
      }),
      { numRuns: 300 }
    )
  })

  it("the team rule binds: one volunteer never fills two roles of one team", () => {
    // both roles prefer volunteer 0, who could take two requests
    const p: Small = {
      rows: 2,
      cols: 2,
      costs: [1, 4, 1, 3],
      capacity: [2, 1],
      team: [7, 7],
      unassignedCost: undefined
    }
    expect(Array.from(sparse(p).assignment)).toEqual([0, 1])
    expect(sparse(p).total).toBe(4)
    // without the team, volunteer 0 takes both
    expect(Array.from(sparse({ ...p, team: undefined }).assignment)).toEqual([0, 0])
  })

  it("a row is left unassigned only when that is cheaper, and the default assigns as many as possible", () => {
    const p: Small = {
      rows: 2,
      cols: 1,
      costs: [10, 1],
      capacity: undefined,
      team: undefined,
      unassignedCost: undefined
    }
    // one column, two rows: the cheaper row gets it
    expect(Array.from(dense(p).assignment)).toEqual([-1, 0])
    expect(dense(p).total).toBe(1)
    // unassigned costs below the costs: nobody is assigned
    const cheap = dense({ ...p, unassignedCost: [5, 0.5] })
    expect(Array.from(cheap.assignment)).toEqual([-1, -1])
    expect(cheap.objective).toBe(5.5)
    // row 1 is cheaper to leave out (0.5 < 1), row 0 is not (12 > 10): row 0 gets the column
    const mixed = dense({ ...p, unassignedCost: [12, 0.5] })
    expect(Array.from(mixed.assignment)).toEqual([0, -1])
    expect(mixed.objective).toBe(10.5)
    expect(Array.from(sparse({ ...p, unassignedCost: [12, 0.5] }).assignment)).toEqual([0, -1])
  })
})

// ---------------------------------------------------------------------------------------------

/** mulberry32, so that the larger instances are reproducible from fast-check's seed. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

const matrix = (rows: number, cols: number, seed: number, integer: boolean, infeasible = 0): Float64Array => {
  const random = seeded(seed)
  const costs = new Float64Array(rows * cols)
  for (let k = 0; k < costs.length; k++) {
    const c = integer ? Math.floor(random() * 1001) : random()
    costs[k] = random() < infeasible ? INF : c
  }
  return costs
}

const munkresTotal = (rows: number, cols: number, costs: Float64Array): number => {
  const m = Array.from({ length: rows }, (_, i) => Array.from(costs.subarray(i * cols, (i + 1) * cols)))
  let total = 0
  for (const [y, x] of munkres(m)) total += m[y]![x]!
  return total
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))

describe("Assignment against munkres (larger instances)", () => {
  it("dense square and rectangular instances, 50 to 200 a side: the same total as munkres", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 200 }),
        fc.integer({ min: 50, max: 200 }),
        fc.boolean(),
        fc.integer(),
        (rows, cols, integer, seed) => {
          const costs = matrix(rows, cols, seed, integer)
          const expected = munkresTotal(rows, cols, costs)
          const s = Result.getOrThrow(Assignment.solveDense({ rows, cols, costs }))
          expect(s.assigned).toBe(Math.min(rows, cols))
          if (integer) expect(s.total).toBe(expected)
          else expect(close(s.total, expected)).toBe(true)
          const sp = Result.getOrThrow(
            Assignment.solveSparse({
              rows,
              cols,
              ...toSparse({ rows, cols, costs: Array.from(costs), ...noOptions })
            })
          )
          if (integer) expect(sp.total).toBe(expected)
          else expect(close(sp.total, expected)).toBe(true)
        }
      ),
      { numRuns: 16 }
    )
  })

  it("square instances with costs tied everywhere (integers 0..3): the same total as munkres", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 120 }), fc.integer(), (n, seed) => {
        const random = seeded(seed)
        const costs = Float64Array.from({ length: n * n }, () => Math.floor(random() * 4))
        const expected = munkresTotal(n, n, costs)
        expect(Result.getOrThrow(Assignment.solveDense({ rows: n, cols: n, costs })).total).toBe(expected)
        const sp = Result.getOrThrow(
          Assignment.solveSparse({
            rows: n,
            cols: n,
            ...toSparse({ rows: n, cols: n, costs: Array.from(costs), ...noOptions })
          })
        )
        expect(sp.total).toBe(expected)
      }),
      { numRuns: 10 }
    )
  })
})

const noOptions = { capacity: undefined, team: undefined, unassignedCost: undefined }

describe("Assignment: when the cheapest pairs are not enough", () => {
  it("every row ranks the columns alike (the shortlist of cheap pairs cannot hold the optimum)", () => {
    // cost(i, j) = j + i/1000: every row's cheapest columns are the same few
    const n = 200
    const costs = Float64Array.from({ length: n * n }, (_, k) => (k % n) * 1000 + Math.floor(k / n))
    const expected = munkresTotal(n, n, costs)
    const d = Result.getOrThrow(Assignment.solveDense({ rows: n, cols: n, costs }))
    expect(d.assigned).toBe(n)
    expect(d.total).toBe(expected)
    const p: Small = { rows: n, cols: n, costs: Array.from(costs), ...noOptions }
    const s = sparse(p)
    expect(s.assigned).toBe(n)
    expect(s.total).toBe(expected)
  })
})

describe("Assignment: dense and sparse agree, and the result is deterministic", () => {
  it("on instances with infeasible pairs and unassigned costs, up to 60 a side", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.97, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 1200 }), { nil: undefined }),
        fc.integer(),
        (rows, cols, infeasible, unassigned, seed) => {
          const costs = Array.from(matrix(rows, cols, seed, true, infeasible))
          const p: Small = {
            rows,
            cols,
            costs,
            capacity: undefined,
            team: undefined,
            unassignedCost: unassigned === undefined ? undefined : new Array<number>(rows).fill(unassigned)
          }
          const d = dense(p)
          const s = sparse(p)
          expectValid(p, d)
          expectValid(p, s)
          expect(s.objective).toBe(d.objective)
          expect(s.assigned).toBe(d.assigned)
        }
      ),
      { numRuns: 60 }
    )
  })

  it("on wide instances with infeasible pairs (the shortlist path), up to 150 × 220", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 130, max: 220 }),
        fc.double({ min: 0, max: 0.98, noNaN: true }),
        fc.boolean(),
        fc.integer(),
        (rows, cols, infeasible, integer, seed) => {
          const costs = Array.from(matrix(rows, cols, seed, integer, infeasible))
          const p: Small = { rows, cols, costs, ...noOptions }
          const d = dense(p)
          const s = sparse(p)
          expectValid(p, d)
          expectValid(p, s)
          expect(s.assigned).toBe(d.assigned)
          if (integer) expect(s.total).toBe(d.total)
          else expect(close(s.total, d.total)).toBe(true)
        }
      ),
      { numRuns: 25 }
    )
  })

  it("with capacities and teams, sparse against dense (both through the network) and a second run", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (rows, cols, seed) => {
          const random = seeded(seed)
          const costs = Array.from(matrix(rows, cols, seed, true, 0.5))
          const p: Small = {
            rows,
            cols,
            costs,
            capacity: Array.from({ length: cols }, () => Math.floor(random() * 4)),
            team: Array.from({ length: rows }, () => Math.floor(random() * 6) - 1),
            unassignedCost: undefined
          }
          const s = sparse(p)
          expectValid(p, s)
          const again = sparse(p)
          expect(Array.from(again.assignment)).toEqual(Array.from(s.assignment))
          expect(dense(p).objective).toBe(s.objective)
        }
      ),
      { numRuns: 60 }
    )
  })

  it("the same input gives the same assignment, ties included", () => {
    const random = seeded(42)
    const rows = 150
    const cols = 120
    const costs = Float64Array.from({ length: rows * cols }, () => Math.floor(random() * 3))
    const a = Result.getOrThrow(Assignment.solveDense({ rows, cols, costs }))
    const b = Result.getOrThrow(Assignment.solveDense({ rows, cols, costs: Array.from(costs) }))
    expect(Array.from(b.assignment)).toEqual(Array.from(a.assignment))
    const p: Small = { rows, cols, costs: Array.from(costs), ...noOptions }
    expect(Array.from(sparse(p).assignment)).toEqual(Array.from(sparse(p).assignment))
  })
})

describe("Assignment: invalid input", () => {
  const fail = (r: Result.Result<Assignment.Solution, unknown>) => {
    if (Result.isSuccess(r)) throw new Error("expected a failure")
    return r.failure as { _tag: string; field: string; message: string; issues: ReadonlyArray<unknown> }
  }

  it("refuses NaN and -Infinity costs, naming the entry, in English and Chinese", () => {
    const e = fail(Assignment.solveDense({ rows: 1, cols: 3, costs: [1, Number.NaN, Number.NEGATIVE_INFINITY] }))
    expect(e._tag).toBe("InvalidInput")
    expect(e.field).toBe("costs[1]")
    expect(e.issues).toHaveLength(2)
    expect(e.message).toContain(" / ")
  })

  it("refuses sizes, lengths and options that do not fit", () => {
    expect(fail(Assignment.solveDense({ rows: -1, cols: 2, costs: [] })).field).toBe("rows")
    expect(fail(Assignment.solveDense({ rows: 2, cols: 2, costs: [1, 2, 3] })).field).toBe("costs")
    expect(fail(Assignment.solveDense({ rows: 1, cols: 2, costs: [1, 2], capacity: [1, -1] })).field).toBe(
      "capacity[1]"
    )
    expect(fail(Assignment.solveDense({ rows: 1, cols: 2, costs: [1, 2], team: [-2] })).field).toBe("team[0]")
    expect(fail(Assignment.solveDense({ rows: 1, cols: 1, costs: [1], unassignedCost: INF })).field).toBe(
      "unassignedCost"
    )
    const sparseBase = { rows: 1, cols: 2, rowStart: [0, 2], edgeCol: [0, 2], edgeCost: [1, INF] }
    const e = fail(Assignment.solveSparse(sparseBase))
    expect(e.issues.map((i) => (i as { field: string }).field)).toEqual(["edgeCol[1]", "edgeCost[1]"])
    expect(fail(Assignment.solveSparse({ ...sparseBase, rowStart: [0, 1] })).field).toBe("rowStart")
  })

  it("lists at most 20 issues and counts the rest", () => {
    const e = fail(Assignment.solveDense({ rows: 5, cols: 10, costs: new Array<number>(50).fill(Number.NaN) }))
    expect(e.issues).toHaveLength(21)
    expect(e.message).toContain("30 more issues")
  })
})

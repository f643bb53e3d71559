/**
 * Benchmark: mutual aid's exact assignment solver (`packages/core/src/mutual-aid/Assignment.ts`)
 * against `munkres`, the fastest linear-assignment package on npm, run on the same instances in
 * the same script.
 *
 * In one run the script
 *
 * 1. builds, from a fixed seed, the instances of issue 8: 2,000 requests × 2,000 volunteers with
 *    dense uniform real costs in [0, 1), the same size with dense integer costs 0..1000, and
 *    10,000 × 10,000 where each request has 200 feasible volunteers (distinct, drawn uniformly;
 *    real costs in [0, 1000)); also a 2,000 × 2,000 instance with 200 feasible volunteers per
 *    request, the size at which `munkres` (which needs the full matrix, `Infinity` where
 *    infeasible) can still run a sparse case;
 * 2. warms both solvers up on a 300 × 300 instance, then times them in interleaved rounds
 *    (`munkres` first in odd rounds, ours first in even ones); `munkres` gets `number[][]`, ours
 *    a `Float64Array` (dense) or compressed rows (sparse), built before the clock starts;
 * 3. checks that both totals agree (exactly for integer costs, to 1e-9 relative for reals) and
 *    prints the median and each round's milliseconds, wall clock and CPU time of the process
 *    (the CPU time is less disturbed when other work shares the machine), and the ratios of the
 *    medians.
 *
 * `munkres` cannot take the 10,000 × 10,000 sparse case (a full matrix of 10^8 numbers): only our
 * time is printed for it.
 *
 * Environment: `BENCH_ROUNDS` (default 3), `BENCH_DENSE` (default 2,000), `BENCH_SPARSE` (default
 * 10,000), `BENCH_DEGREE` (default 200), `BENCH_MUNKRES_SPARSE` (the munkres-sized sparse case,
 * default 2,000; 0 to skip).
 *
 * Run: `pnpm --filter @commonweal/bench bench:assign` (or `pnpm bench:assign` in packages/bench).
 *
 * @module
 */
import { Result } from "effect"
import { munkres } from "munkres"
import { Assignment } from "@commonweal/core"
import { median, seeded } from "./common.js"

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3)
const DENSE = Number(process.env["BENCH_DENSE"] ?? 2_000)
const SPARSE = Number(process.env["BENCH_SPARSE"] ?? 10_000)
const DEGREE = Number(process.env["BENCH_DEGREE"] ?? 200)
const MUNKRES_SPARSE = Number(process.env["BENCH_MUNKRES_SPARSE"] ?? 2_000)

interface Instance {
  readonly name: string
  readonly integer: boolean
  readonly dense?: Assignment.DenseProblem
  readonly sparse?: Assignment.SparseProblem
  readonly matrix?: Array<Array<number>>
}

const denseInstance = (name: string, n: number, cost: (random: () => number) => number, seed: number): Instance => {
  const random = seeded(seed)
  const costs = new Float64Array(n * n)
  for (let k = 0; k < n * n; k++) costs[k] = cost(random)
  const matrix = Array.from({ length: n }, (_, i) => Array.from(costs.subarray(i * n, (i + 1) * n)))
  return { name, integer: Number.isInteger(cost(seeded(1))), dense: { rows: n, cols: n, costs }, matrix }
}

const sparseInstance = (name: string, n: number, degree: number, seed: number, withMatrix: boolean): Instance => {
  const random = seeded(seed)
  const d = Math.min(degree, n)
  const rowStart = new Int32Array(n + 1)
  const edgeCol = new Int32Array(n * d)
  const edgeCost = new Float64Array(n * d)
  const mark = new Int32Array(n).fill(-1)
  let e = 0
  for (let i = 0; i < n; i++) {
    let k = 0
    while (k < d) {
      const j = Math.floor(random() * n)
      if (mark[j] === i) continue
      mark[j] = i
      edgeCol[e] = j
      edgeCost[e] = random() * 1000
      e++
      k++
    }
    rowStart[i + 1] = e
  }
  let matrix: Array<Array<number>> | undefined
  if (withMatrix) {
    matrix = Array.from({ length: n }, () => new Array<number>(n).fill(Number.POSITIVE_INFINITY))
    for (let i = 0; i < n; i++) {
      for (let f = rowStart[i]!; f < rowStart[i + 1]!; f++) matrix[i]![edgeCol[f]!] = edgeCost[f]!
    }
  }
  const sparse: Assignment.SparseProblem = { rows: n, cols: n, rowStart, edgeCol, edgeCost }
  return matrix === undefined ? { name, integer: false, sparse } : { name, integer: false, sparse, matrix }
}

const ours = (instance: Instance): Assignment.Solution => {
  const result =
    instance.dense !== undefined ? Assignment.solveDense(instance.dense) : Assignment.solveSparse(instance.sparse!)
  if (Result.isFailure(result)) throw new Error(`${instance.name}: ${result.failure.message}`)
  return result.success
}

const munkresTotal = (matrix: Array<Array<number>>): number => {
  let total = 0
  for (const [y, x] of munkres(matrix)) total += matrix[y]![x]!
  return total
}

const uniform = (random: () => number) => random()
const integer = (random: () => number) => Math.floor(random() * 1001)
const instances: Array<Instance> = [
  denseInstance(`dense ${DENSE} × ${DENSE}, uniform real [0, 1)`, DENSE, uniform, 20_261_201),
  denseInstance(`dense ${DENSE} × ${DENSE}, integer 0..1000`, DENSE, integer, 20_261_202),
  ...(MUNKRES_SPARSE > 0
    ? [
        sparseInstance(
          `sparse ${MUNKRES_SPARSE} × ${MUNKRES_SPARSE}, ${DEGREE} per row`,
          MUNKRES_SPARSE,
          DEGREE,
          20_261_203,
          true
        )
      ]
    : []),
  sparseInstance(`sparse ${SPARSE} × ${SPARSE}, ${DEGREE} per row`, SPARSE, DEGREE, 20_261_204, false)
]

/** Wall-clock and CPU milliseconds of one call (CPU time is less disturbed by other processes). */
const time = <A>(f: () => A): [number, number, A] => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const a = f()
  const wall = performance.now() - start
  const used = process.cpuUsage(cpu)
  return [wall, (used.user + used.system) / 1000, a]
}

const agree = (instance: Instance, a: number, b: number) =>
  instance.integer ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))

console.log(`Node ${process.version}, ${ROUNDS} rounds, after a 300 × 300 warm-up`)
{
  const warm = denseInstance("warm-up", 300, uniform, 7)
  const warmSparse = sparseInstance("warm-up", 300, 30, 8, false)
  for (let k = 0; k < 3; k++) {
    munkresTotal(warm.matrix!)
    ours(warm)
    ours(warmSparse)
  }
}

for (const instance of instances) {
  const mine: Array<number> = []
  const theirs: Array<number> = []
  const mineCpu: Array<number> = []
  const theirsCpu: Array<number> = []
  let total = Number.NaN
  for (let round = 0; round < ROUNDS; round++) {
    const runMine = () => {
      const [ms, cpu, s] = time(() => ours(instance))
      mine.push(ms)
      mineCpu.push(cpu)
      if (!Number.isNaN(total) && !agree(instance, s.total, total)) throw new Error(`${instance.name}: totals differ`)
      if (s.assigned !== s.assignment.length) throw new Error(`${instance.name}: ${s.assigned} assigned`)
      total = s.total
    }
    const runTheirs = () => {
      if (instance.matrix === undefined) return
      const [ms, cpu, t] = time(() => munkresTotal(instance.matrix!))
      theirs.push(ms)
      theirsCpu.push(cpu)
      if (!Number.isNaN(total) && !agree(instance, t, total)) {
        throw new Error(`${instance.name}: munkres total ${t} ≠ ours ${total}`)
      }
      total = t
    }
    if (round % 2 === 0) {
      runTheirs()
      runMine()
    } else {
      runMine()
      runTheirs()
    }
  }
  const fmt = (xs: ReadonlyArray<number>) => xs.map((x) => x.toFixed(0)).join(", ")
  console.log(`\n${instance.name}: total ${total}`)
  const line = (who: string, wall: ReadonlyArray<number>, cpu: ReadonlyArray<number>) =>
    `  ${who} median ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU  (rounds: ${fmt(wall)} wall; ${fmt(cpu)} CPU)`
  console.log(line("ours   ", mine, mineCpu))
  if (theirs.length > 0) {
    console.log(line("munkres", theirs, theirsCpu))
    const wall = median(mine) / median(theirs)
    const cpu = median(mineCpu) / median(theirsCpu)
    console.log(`  ratio ours / munkres: ${wall.toFixed(3)} wall, ${cpu.toFixed(3)} CPU`)
  } else console.log("  munkres: cannot run (needs the full matrix)")
}

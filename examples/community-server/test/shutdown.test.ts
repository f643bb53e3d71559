/**
 * Stopping the example server: Ctrl-C (SIGINT to the whole process group, as a terminal sends
 * it) or SIGTERM (to the one process a supervisor started) shuts it down, says so, and exits
 * with 0, both run directly and through `pnpm start` (which must then not report a failure).
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const repoRoot = join(exampleDir, "..", "..")

interface Stopped {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Starts `command` in a process group of its own, waits for the banner, sends `signal` to the
 * group (`"group"`, like Ctrl-C) or to the started process only (`"process"`), and resolves
 * when it has exited.
 */
const startAndStop = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  signal: NodeJS.Signals,
  target: "group" | "process"
): Promise<Stopped> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        COMMONWEAL_DB_FILE: join(mkdtempSync(join(tmpdir(), "commonweal-shutdown-")), "server.sqlite"),
        COMMONWEAL_SEED: "false",
        NO_COLOR: "1",
        FORCE_COLOR: "0"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let sent = false
    const killer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL")
      reject(new Error(`no exit within 50 s; output so far:\n${stdout}\n${stderr}`))
    }, 50_000)
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      if (!sent && stdout.includes("press Ctrl-C to stop")) {
        sent = true
        if (target === "group") process.kill(-child.pid!, signal)
        else child.kill(signal)
      }
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", reject)
    const groupAlive = () => {
      try {
        process.kill(-child.pid!, 0)
        return true
      } catch {
        return false
      }
    }
    let finished = false
    const finish = async (code: number | null, exitSignal: NodeJS.Signals | null) => {
      if (finished) return
      finished = true
      clearTimeout(killer)
      // helpers of the process (tsx's esbuild service) end on their own once it has exited:
      // give the group a few seconds on a busy machine before calling anything left a leak
      for (let waited = 0; waited < 5_000 && groupAlive(); waited += 100) {
        await new Promise((r) => setTimeout(r, 100))
      }
      if (groupAlive()) {
        process.kill(-child.pid!, "SIGKILL")
        stderr += "\n(processes of the group were still running)"
      }
      resolve({ code, signal: exitSignal, stdout, stderr })
    }
    // `close` waits for the output to end, which an orphaned server would hold open: give it
    // a moment after `exit`, then look at the group
    child.on("exit", (code, exitSignal) => {
      const late = setTimeout(() => void finish(code, exitSignal), 3_000)
      child.on("close", () => {
        clearTimeout(late)
        void finish(code, exitSignal)
      })
    })
  })

const expectStoppedCleanly = (stopped: Stopped) => {
  expect(stopped.stdout).toContain("shutting down")
  expect(stopped.stdout.trimEnd().split("\n").at(-1)).toBe("commonweal 示例服务器已停止 / stopped")
  expect(stopped.stderr).toBe("")
  expect({ code: stopped.code, signal: stopped.signal }).toEqual({ code: 0, signal: null })
}

describe.concurrent("stopping the example server", { timeout: 60_000 }, () => {
  const node = (signal: NodeJS.Signals, target: "group" | "process") =>
    startAndStop(
      process.execPath,
      ["--conditions=@commonweal/source", "--import", "tsx", "src/main.ts"],
      exampleDir,
      signal,
      target
    )

  it("the start script runs node itself (no CLI wrapper relaying signals)", () => {
    const manifest = JSON.parse(readFileSync(join(exampleDir, "package.json"), "utf8")) as {
      scripts: Record<string, string>
    }
    expect(manifest.scripts["start"]).toBe("node --conditions=@commonweal/source --import tsx src/main.ts")
  })

  it("Ctrl-C: says it stopped and exits 0", async () => {
    expectStoppedCleanly(await node("SIGINT", "group"))
  })

  it("SIGTERM: says it stopped and exits 0", async () => {
    expectStoppedCleanly(await node("SIGTERM", "process"))
  })

  // `pnpm start` from the repository root, as the README says: pnpm and its script runner must
  // neither die of the signal nor report the stop as a failure (ELIFECYCLE)
  it("Ctrl-C on `pnpm start`: no pnpm failure, exit 0", async () => {
    expectStoppedCleanly(await startAndStop("pnpm", ["start"], repoRoot, "SIGINT", "group"))
  })

  it("SIGTERM to `pnpm start`: the server stops too, no pnpm failure, exit 0", async () => {
    expectStoppedCleanly(await startAndStop("pnpm", ["start"], repoRoot, "SIGTERM", "process"))
  })
})

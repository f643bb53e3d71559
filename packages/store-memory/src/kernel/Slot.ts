/**
 * Slots: the named parts of the in-memory store's state, one per kernel port or domain.
 *
 * A slot is declared once, at the top level of the module that owns it, with the value a fresh
 * store starts from. The store keys its state by the slot itself (the object, not its name), so
 * two domains can never read or overwrite each other's state by choosing the same name; the name
 * is for people reading a dump of the state.
 *
 * @module
 */
import type { Result } from "effect"

/**
 * A named, typed part of the in-memory store's state, with the value it has in a fresh store.
 * Declare it with `MemoryKernel.slot` and read and write it through `MemoryKernel`'s `read` and
 * `write`.
 */
export interface Slot<S> {
  /** What the slot holds, e.g. `residents`: for diagnostics only (the slot object is its key). */
  readonly name: string
  /** The slot's value in a fresh, empty store. Must be immutable: the store never copies it. */
  readonly initial: S
}

/**
 * Declares a slot of state (exported from the package as `MemoryKernel.slot`). Call it once per slot, at the top level of the module that owns it:
 * each call makes a distinct slot, even with the same name.
 *
 * @example
 * ```ts
 * import { HashMap } from "effect"
 * import type { Book, BookId } from "./Book.js"
 *
 * const books = slot("library/books", HashMap.empty<BookId, Book>())
 * ```
 */
export const slot = <S>(name: string, initial: S): Slot<S> => Object.freeze({ name, initial })

/**
 * A pure change of one slot: from its current value, either the result and the slot's next value,
 * or an error (and no change). It must not have side effects: the store may discard its result.
 */
export type SlotChange<S, A, E> = (state: S) => Result.Result<readonly [A, S], E>

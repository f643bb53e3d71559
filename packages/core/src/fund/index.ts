/**
 * The community public-welfare fund (公益基金) domain: for now its pure allocator, which shares a
 * round's pool among projects and families in difficulty by tier and weight, exactly to the fen.
 *
 * @module
 */
export * as Allocation from "./Allocation.js"

import Foundation

/// 定点数 — a number with a fixed count of decimals, as C's `printf("%W.Df")` writes it.
///
/// Why not `String(format:)`: Foundation passes each argument as a `CVarArg` existential and casts it at run
/// time, and the first such cast of a process makes the Swift runtime scan every protocol conformance in the
/// binary (about 12,000 here) — for a score on each line of `plankb query` that cost more than the line.
/// This writes the same characters from the value's exact binary expansion: the product with 10^D is
/// corrected by its rounding error (`fma`), and a tie is rounded to even, as glibc does.
public enum FixedPoint {
    /// `value` with `decimals` digits after the point (0–9), right-aligned in `width` characters:
    /// `printf("%*.*f", width, decimals, value)`. Values whose scaled magnitude reaches 2^52 (10^15 with no
    /// decimals, 10^12 with three), and NaN and infinities, are left to `String(format:)`.
    public static func format(_ value: Double, decimals: Int, width: Int = 0) -> String {
        precondition((0...9).contains(decimals), "FixedPoint: 0 to 9 decimals")
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        guard value.isFinite, value.magnitude * scale < 0x1p52 else {
            return String(format: "%*.*f", Int32(width), Int32(decimals), value)
        }
        let body = digits(of: value, decimals: decimals, scale: scale)
        let padding = width - body.utf8.count
        return padding > 0 ? String(repeating: " ", count: padding) + body : body
    }

    /// The digits of a finite value whose scaled magnitude is below 2^52, with its sign (`-0.00` for a small negative).
    private static func digits(of value: Double, decimals: Int, scale: Double) -> String {
        let magnitude = value.magnitude
        // magnitude × scale exactly = product + error (10^D is exact for D ≤ 22, and fma gives the error).
        let product = magnitude * scale
        let error = (-product).addingProduct(magnitude, scale)
        let floor = product.rounded(.down)
        let fraction = product - floor            // exact: both are within one binade of each other or floor is 0
        var units = UInt64(floor)
        if fraction > 0.5 || (fraction == 0.5 && (error > 0 || (error == 0 && units & 1 == 1))) {
            units += 1
        }
        // (A fraction of 0 with a negative error is an exact product just below the integer: it rounds to it.)
        var text = String(units)
        if decimals > 0 {
            if text.utf8.count <= decimals { text = String(repeating: "0", count: decimals - text.utf8.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
        }
        return value.sign == .minus ? "-" + text : text
    }
}

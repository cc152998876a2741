import Foundation
import PlanKit
import Testing

/// `FixedPoint.format` writes what `printf("%W.Df")` writes (held to Foundation's `String(format:)`, which is
/// glibc's printf), without the run-time casts of a `CVarArg`.
struct FixedPointTests {
    @Test func agreesWithPrintfOnScoresAndRatios() {
        var generator = SplitMix64(seed: 20261206)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1.115, 0.0005, 0.00049999,
                                -0.0004, -0.004, 999.995, 9.9999, 123456789.125, 1e14 + 0.5, 0.1, 0.7, 33.333333]
        for _ in 0..<20_000 {
            let magnitude = [1.0, 10, 1000, 1e6, 1e12][Int(generator.next() % 5)]
            values.append((Double(generator.next() % 2_000_001) / 1_000_000 - 1) * magnitude)
            // Ties at every decimal place: k + 1/2 ulp of the last digit, as binary fractions that are exact.
            values.append(Double(generator.next() % 100_000) / 1024)
        }
        for value in values {
            for decimals in 0...6 {
                #expect(FixedPoint.format(value, decimals: decimals) == String(format: "%.\(decimals)f", value),
                        "\(value) with \(decimals) decimals")
            }
            #expect(FixedPoint.format(value, decimals: 2, width: 6) == String(format: "%6.2f", value), "\(value)")
        }
    }

    @Test func padsToTheWidthAndNeverCuts() {
        #expect(FixedPoint.format(3.14159, decimals: 2, width: 6) == "  3.14")
        #expect(FixedPoint.format(12345.678, decimals: 2, width: 6) == "12345.68")
        #expect(FixedPoint.format(-0.001, decimals: 2) == "-0.00")
    }

    @Test func nonFiniteValuesAreNamed() {
        #expect(FixedPoint.format(.infinity, decimals: 2) == "inf")
        #expect(FixedPoint.format(-.infinity, decimals: 2, width: 6) == "  -inf")
        #expect(FixedPoint.format(.nan, decimals: 3) == "nan")
    }
}

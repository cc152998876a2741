import Foundation
import PlanKit

/// A chart drawn on the server as inline SVG: grouped bars, or lines for a series over years. Numbers come
/// with it as a table the CSV download repeats, so the picture is never the only copy of the data.
struct SVGChart {
    /// One named series of values, one per category.
    struct Series {
        var name: String
        var values: [Double]
    }

    enum Style { case bars, lines }

    var title: String
    var categories: [String]
    var series: [Series]
    var style: Style
    /// What the values are ("次/万字", "条").
    var unit: String

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG, `width` × 380 pixels, with axes, gridlines, a legend and a <title> per mark (hover tooltips);
    /// category labels are slanted below the axis, the legend below them.
    func render(id: String, width: Int = 760) -> String {
        let height = 380, left = 56, right = 16, top = 36, bottom = 136
        let plotWidth = Double(width - left - right), plotHeight = Double(height - top - bottom)
        let maximum = max(series.flatMap(\.values).max() ?? 0, 1e-9)
        let step = Self.niceStep(maximum / 4)
        let axisTop = (maximum / step).rounded(.up) * step
        func y(_ value: Double) -> Double { Double(top) + plotHeight * (1 - value / axisTop) }
        var svg = "<svg id=\"\(id)\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(title))\">\n"
        svg += "<title>\(HTML.escape(title))</title>\n"
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(HTML.escape(title))</text>\n"
        var tick = 0.0
        while tick <= axisTop + step / 2 {
            let position = Self.format(y(tick))
            svg += "<line x1=\"\(left)\" y1=\"\(position)\" x2=\"\(width - right)\" y2=\"\(position)\" stroke=\"#e1e4e8\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(position)\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Self.label(tick))</text>\n"
            tick += step
        }
        svg += "<text x=\"12\" y=\"\(top + Int(plotHeight) / 2)\" font-size=\"11\" transform=\"rotate(-90 12 \(top + Int(plotHeight) / 2))\" text-anchor=\"middle\">\(HTML.escape(unit))</text>\n"
        let band = plotWidth / Double(max(categories.count, 1))
        for (index, category) in categories.enumerated() {
            let x = Double(left) + band * (Double(index) + 0.5)
            let shown = category.count > 10 ? String(category.prefix(9)) + "…" : category
            svg += "<text x=\"\(Self.format(x))\" y=\"\(height - bottom + 14)\" font-size=\"10\" text-anchor=\"end\" "
                + "transform=\"rotate(-45 \(Self.format(x)) \(height - bottom + 14))\"><title>\(HTML.escape(category))</title>\(HTML.escape(shown))</text>\n"
        }
        switch style {
        case .bars:
            let barWidth = band * 0.8 / Double(max(series.count, 1))
            for (number, line) in series.enumerated() {
                let color = Self.palette[number % Self.palette.count]
                for (index, value) in line.values.enumerated() {
                    let x = Double(left) + band * Double(index) + band * 0.1 + barWidth * Double(number)
                    svg += "<rect class=\"bar\" x=\"\(Self.format(x))\" y=\"\(Self.format(y(value)))\" width=\"\(Self.format(max(barWidth - 1, 1)))\" "
                        + "height=\"\(Self.format(y(0) - y(value)))\" fill=\"\(color)\"><title>\(HTML.escape(line.name)) · "
                        + "\(HTML.escape(categories[index])): \(Self.label(value))</title></rect>\n"
                }
            }
        case .lines:
            for (number, line) in series.enumerated() {
                let color = Self.palette[number % Self.palette.count]
                let points = line.values.enumerated().map { index, value in
                    "\(Self.format(Double(left) + band * (Double(index) + 0.5))),\(Self.format(y(value)))"
                }
                svg += "<polyline class=\"line\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
                for (index, value) in line.values.enumerated() {
                    svg += "<circle cx=\"\(Self.format(Double(left) + band * (Double(index) + 0.5)))\" cy=\"\(Self.format(y(value)))\" r=\"3.5\" "
                        + "fill=\"\(color)\"><title>\(HTML.escape(line.name)) · \(HTML.escape(categories[index])): \(Self.label(value))</title></circle>\n"
                }
            }
        }
        svg += "<line x1=\"\(left)\" y1=\"\(Self.format(y(0)))\" x2=\"\(width - right)\" y2=\"\(Self.format(y(0)))\" stroke=\"#586069\"/>\n"
        var legendX = Double(left)
        for (number, line) in series.enumerated() {
            let color = Self.palette[number % Self.palette.count]
            svg += "<rect x=\"\(Self.format(legendX))\" y=\"\(height - 18)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(Self.format(legendX + 16))\" y=\"\(height - 8)\" font-size=\"12\">\(HTML.escape(line.name))</text>\n"
            legendX += 28 + Double(HTML.escape(line.name).count) * 13
        }
        return svg + "</svg>\n"
    }

    /// The same numbers as CSV: one row per category, one column per series (UTF-8 BOM, CRLF).
    func csv(categoryHeading: String) -> String {
        var rows = [[categoryHeading] + series.map(\.name)]
        for (index, category) in categories.enumerated() {
            rows.append([category] + series.map { Self.label($0.values[index]) })
        }
        return "\u{FEFF}" + rows.map(RecordCSVExporter.line).joined()
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= raw { return multiple * power }
        return 10 * power
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Integers plainly, other values with up to two decimals.
    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}

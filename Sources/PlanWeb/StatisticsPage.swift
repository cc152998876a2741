import Foundation
import PlanIndex
import PlanKit

/// `/statistics` (统计): policy instruments of the measures, and counts of the terms asked for, over years
/// and by document, as SVG charts with their numbers as CSV (`/statistics/{chart}.csv`).
struct StatisticsPage {
    /// The charts, by the name their CSV link uses.
    enum Chart: String, CaseIterable, Sendable {
        case instrumentsByYear = "instruments-year"
        case instrumentsByDocument = "instruments-doc"
        case termsByYear = "terms-year"
        case termsByDocument = "terms-doc"

        var needsTerms: Bool { self == .termsByYear || self == .termsByDocument }
    }

    var terms: [String]
    let statistics: TermStatistics
    /// Every measure's instrument dimension (nil when uncoded), with its document's key, title and year.
    let measures: [(key: String, title: String, year: String, dimension: Instrument.Dimension?)]
    let titles: [String: String]

    init(knowledgeBase: any KnowledgeBase, terms: [String]) throws {
        self.terms = terms
        statistics = try TermStatistics(knowledgeBase: knowledgeBase)
        var measures: [(key: String, title: String, year: String, dimension: Instrument.Dimension?)] = []
        var titles: [String: String] = [:]
        let decoder = JSONDecoder()
        for summary in try knowledgeBase.documents() {
            titles[summary.key] = summary.title ?? summary.key
            guard summary.recordCount > 0 else { continue }
            let year = summary.date.map { String($0.prefix(4)) } ?? "(no date)"
            // Only the measures, and not the document whole.
            for stored in try knowledgeBase.records(ofType: Record.RecordType.measure.rawValue, inDocument: summary.key) {
                guard let record = stored.record(decodingWith: decoder) else { continue }
                measures.append((summary.key, summary.title ?? summary.key, year, record.instrument?.dimension))
            }
        }
        self.measures = measures
        self.titles = titles
    }

    /// Terms from the query string: `terms=营商环境 人才` (spaces or commas).
    static func terms(from field: String?) -> [String] {
        (field ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace }).map(String.init).prefix(8).map { $0 }
    }

    func chart(_ chart: Chart) -> SVGChart {
        switch chart {
        case .instrumentsByYear, .instrumentsByDocument:
            let byYear = chart == .instrumentsByYear
            let categories = byYear ? Array(Set(measures.map(\.year))).sorted()
                : Array(Set(measures.map(\.key))).sorted { (titles[$0] ?? $0, $0) < (titles[$1] ?? $1, $1) }
            var counts: [Instrument.Dimension: [String: Int]] = [:]
            for measure in measures {
                guard let dimension = measure.dimension else { continue }
                counts[dimension, default: [:]][byYear ? measure.year : measure.key, default: 0] += 1
            }
            let series = Instrument.Dimension.allCases.map { dimension in
                SVGChart.Series(name: dimension.chineseName, values: categories.map { Double(counts[dimension]?[$0] ?? 0) })
            }
            return SVGChart(title: byYear ? "政策工具（举措）按年份" : "政策工具（举措）按文件",
                            categories: byYear ? categories : categories.map { titles[$0] ?? $0 },
                            series: series, style: .bars, unit: "举措条数")
        case .termsByYear, .termsByDocument:
            let dimension: CountDimension = chart == .termsByYear ? .year : .doc
            let rows = statistics.count(terms, by: dimension)
            // Documents where none of the terms occurs are left out of the chart (they are all bars of 0).
            let occurring = Set(rows.filter { dimension == .year || $0.count > 0 }.compactMap(\.group))
            // Documents of the same title (copies, revisions under one name) in the order of their keys.
            let groups = Array(occurring).sorted {
                dimension == .doc ? (titles[$0] ?? $0, $0) < (titles[$1] ?? $1, $1) : $0 < $1
            }
            var byTermAndGroup: [String: [String: TermStatistics.Row]] = [:]
            for row in rows { byTermAndGroup[row.term, default: [:]][row.group ?? ""] = row }
            let series = terms.map { term in
                SVGChart.Series(name: term, values: groups.map { group in
                    guard let row = byTermAndGroup[term]?[group], row.chars > 0 else { return 0 }
                    return (Double(row.count) * 10_000 / Double(row.chars) * 100).rounded() / 100
                })
            }
            return SVGChart(title: dimension == .year ? "词频按年份（每万字）" : "词频按文件（每万字）",
                            categories: dimension == .doc ? groups.map { titles[$0] ?? $0 } : groups,
                            series: series, style: dimension == .year ? .lines : .bars, unit: "次/万字")
        }
    }

    func csv(_ chart: Chart) -> String {
        self.chart(chart).csv(categoryHeading: chart == .instrumentsByYear || chart == .termsByYear ? "year" : "document")
    }

    func render() -> String {
        var body = "<h1>统计</h1>\n"
        body += "<form class=\"search\" action=\"/statistics\" method=\"get\"><label>词语（空格分隔）："
        body += "<input type=\"search\" name=\"terms\" value=\"\(HTML.escape(terms.joined(separator: " ")))\" placeholder=\"营商环境 人才\"></label>"
        body += " <button type=\"submit\">统计</button></form>\n"
        let coded = measures.filter { $0.dimension != nil }.count
        body += "<p>\(measures.count) 条举措，其中 \(coded) 条由编码表的提示词定出政策工具（供给型、环境型、需求型）。</p>\n"
        let query = terms.isEmpty ? "" : HTML.query([("terms", terms.joined(separator: " "))])
        for chart in Chart.allCases where !chart.needsTerms || !terms.isEmpty {
            let drawn = self.chart(chart)
            body += "<section class=\"chart\" id=\"section-\(chart.rawValue)\">\n"
            if drawn.categories.isEmpty {
                body += HTML.message("没有可统计的数据。", kind: "info")
            } else {
                body += drawn.render(id: "chart-\(chart.rawValue)")
            }
            body += "<p><a href=\"/statistics/\(chart.rawValue).csv\(HTML.escape(query))\" download>下载 CSV</a></p>\n</section>\n"
        }
        if terms.isEmpty { body += HTML.message("输入词语，查看它们按年份和按文件的词频。", kind: "info") }
        return HTML.page(title: "统计", body: body)
    }
}

import Foundation
import Testing
@testable import PlanKit

/// The one sentence splitter, the codebook CSV, the coding rule and the agreement figures.
struct InstrumentCodingTests {
    // MARK: One sentence splitter

    @Test func passagesSplitAsTheSegmenterDoesInsideStraightQuotes() throws {
        // A straight-quoted phrase with a full stop inside: Passage used to split inside it, titling the
        // measure 推进"放管服.
        let text = "推进\"放管服。\"改革。简化审批流程，压缩办理时限，全面推行网上办理，提高政务服务效率和透明度。"
        let node = Node(id: "dvs_1__para_1", kind: .paragraph, text: text,
                        span: SourceSpan(startLine: 3, startColumn: 1, endLine: 3, endColumn: text.count))
        let sentences = Passage.split(node)
        #expect(sentences.map(\.text) == SentenceSplitter.split(text).map { String(Array(text)[$0.start..<$0.end]) })
        #expect(sentences.first?.text == "推进\"放管服。\"改革。")
        #expect(sentences.first?.isLead == true)
        let document = PlanDocument(metadata: Metadata(title: "某方案"), root: Node(id: "", kind: .document, text: "某方案",
                                    span: node.span, children: [node]), diagnostics: [])
        let measure = try #require(RecordExtractor.extract(from: document).first { $0.type == .measure })
        #expect(measure.title == "推进\"放管服。\"改革")
    }

    // MARK: Codebook CSV

    @Test func defaultCodebookHasTheFifteenToolsInThreeDimensions() {
        let tools = Codebook.standard.tools
        #expect(tools.count == 15)
        #expect(tools.filter { $0.dimension == .supply }.map(\.tool) == ["人才培养", "资金投入", "技术支持", "基础设施", "公共服务"])
        #expect(tools.filter { $0.dimension == .environment }.map(\.tool) == ["目标规划", "金融支持", "税收优惠", "法规管制", "策略性措施"])
        #expect(tools.filter { $0.dimension == .demand }.map(\.tool) == ["政府采购", "服务外包", "贸易管制", "海外机构/交流", "示范推广"])
        // Printing and reading back gives the same codebook.
        #expect((try? Codebook(csv: Codebook.standard.csv, file: "x")) == Codebook.standard)
    }

    @Test func spreadsheetCSVReadsWithChineseDimensionsQuotesAndExtraColumns() throws {
        let csv = "\u{FEFF}dimension,tool,cue,weight,note\r\n供给型,人才培养,人才,2,\"引进, 培养\"\r\nenvironment,税收优惠,减税,,\r\n"
        let book = try Codebook(csv: csv, file: "mine.csv")
        #expect(book.entries == [Codebook.Entry(dimension: .supply, tool: "人才培养", cue: "人才", weight: 2),
                                 Codebook.Entry(dimension: .environment, tool: "税收优惠", cue: "减税", weight: 1)])
    }

    @Test(arguments: [
        ("dimension,tool\nsupply,人才培养\n", 1, 15, "header column 3"),
        ("dimension,tool,cue\nsupply,人才培养,人才\nsupplies,资金投入,资金\n", 3, 1, "unknown dimension “supplies”"),
        ("dimension,tool,cue,weight\nsupply,人才培养,人才,two\n", 2, 16, "the weight “two”"),
        ("dimension,tool,cue\nsupply,人才培养,\n", 2, 13, "the cue is empty"),
        ("dimension,tool,cue\nsupply,人才培养\n", 2, 12, "needs dimension, tool and cue"),
        ("dimension,tool,cue\nsupply,\"人才培养,人才\n", 2, 8, "not closed"),
        ("dimension,tool,cue\nsupply,人才培养,人才\ndemand,人才培养,引进\n", 3, 1, "listed under supply on line 2"),
        ("dimension,tool,cue\nsupply,人才培养,人才\nsupply,资金投入,人才\n", 3, 13, "already listed on line 2"),
    ])
    func malformedRowsNameFileLineAndColumn(csv: String, line: Int, column: Int, message: String) {
        do {
            _ = try Codebook(csv: csv, file: "book.csv")
            Issue.record("no error for \(csv)")
        } catch {
            #expect(error.file == "book.csv")
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("book.csv:\(line):\(column): error: "))
        }
    }

    // MARK: The coding rule

    @Test func leadSentenceOutweighsTheBodyAndTheOtherDimensionIsRunnerUp() throws {
        let instrument = try #require(Codebook.standard.code(lead: "加大财政资金投入。", body: "完善人才培养机制，引进高层次人才。"))
        #expect(instrument.dimension == .supply)
        #expect(instrument.tool == "资金投入")
        #expect(instrument.cues == ["财政", "资金", "投入"])
        // 人才 (×2 weight, twice) in the body is the same dimension; 机制 is the only other one.
        #expect(instrument.runnerUp?.dimension == .environment)
        #expect(instrument.runnerUp?.tool == "策略性措施")
    }

    @Test func longestCueClaimsItsCharacters() throws {
        let instrument = try #require(Codebook.standard.code(lead: "扩大政府采购规模", body: ""))
        #expect(instrument.tool == "政府采购")
        #expect(instrument.cues == ["政府采购"])
    }

    @Test func noCueMeansNoInstrument() {
        #expect(Codebook.standard.code(lead: "坚持稳中求进。", body: "各地要认真贯彻执行。") == nil)
    }

    @Test func measureVerbsDoubleTheirCue() throws {
        let book = Codebook(entries: [
            Codebook.Entry(dimension: .demand, tool: "示范推广", cue: "推广"),
            Codebook.Entry(dimension: .supply, tool: "技术支持", cue: "技术", weight: 1.5),
        ])
        #expect(book.code(lead: "推广新技术", body: "")?.tool == "技术支持")
        #expect(book.code(lead: "推广新技术", body: "", verbs: ["推广"])?.tool == "示范推广")
    }

    @Test func measuresOfARealDocumentAreCoded() throws {
        // corpus/govcn-2019/05.html, 四（五）19 “支持服务外包。” — a tuning document.
        let text = "19.支持服务外包。允许综合保税区内企业进口专业设备开展软件测试、文化创意等国际服务外包业务，促进跨境服务贸易。"
        let document = segment("一、主要任务\n\n" + text + "\n")
        let records = RecordExtractor.extract(from: document)
        let measure = try #require(records.first { $0.type == .measure })
        #expect(measure.instrument?.tool == "服务外包")
        #expect(measure.instrument?.dimension == .demand)
        #expect(measure.instrument?.cues.first == "服务外包")
        // Clause records only when asked for, each coded on its own.
        #expect(!records.contains { $0.type == .clause })
        let clauses = RecordExtractor.extract(from: document, settings: ExtractionSettings(codeClauses: true)).filter { $0.type == .clause }
        #expect(clauses.count == 2)
        #expect(clauses.first?.instrument?.tool == "服务外包")
        #expect(clauses.last?.instrument != nil)
        #expect(clauses.allSatisfy { $0.id.contains("#clause_") })
    }

    // MARK: Agreement

    @Test func kappaOfAKnownTable() throws {
        // 50 units: both say A for 20, both B for 15, A/B 5, B/A 10 → p_o 0.70, p_e 0.5·0.6 + 0.5·0.4 = 0.50, κ 0.40.
        var first = "id,tool\n", second = "source,id,tool,title\n"
        for index in 0..<50 {
            let (a, b) = index < 20 ? ("A", "A") : index < 35 ? ("B", "B") : index < 40 ? ("A", "B") : ("B", "A")
            first += "u\(index),\(a)\n"
            second += "x.html,u\(index),\(b),“t\(index)”\n"
        }
        second += "x.html,extra,A,\n"
        let agreement = Agreement(try Coding(text: first, file: "a.csv", level: .tool),
                                  try Coding(text: second, file: "b.csv", level: .tool))
        #expect(agreement.units == 50)
        #expect(agreement.onlySecond == 1)
        #expect(abs(agreement.percentAgreement - 0.7) < 1e-9)
        #expect(abs(agreement.kappa - 0.4) < 1e-9)
        #expect(agreement.table == [[20, 5], [10, 15]])
        let report = agreement.report(firstName: "a.csv", secondName: "b.csv")
        #expect(report.contains("Cohen's kappa: 0.400"))
        #expect(report.contains("percent agreement: 70.0%"))
    }

    @Test func uncodedUnitsAreACategoryAndJSONLinesReadsInstruments() throws {
        let lines = """
            {"source":"d","id":"a#measure_1","instrument":{"dimension":"supply","tool":"人才培养","cues":["人才"]}}
            {"source":"d","id":"b#measure_1"}
            """
        let csv = "source,id,dimension,tool\nd,a#measure_1,供给型,人才培养\nd,b#measure_1,,\n"
        for level in Coding.Level.allCases {
            let agreement = Agreement(try Coding(text: lines, file: "t.jsonl", level: level), try Coding(text: csv, file: "h.csv", level: level))
            #expect(agreement.units == 2)
            #expect(agreement.categories.last == Agreement.none)
            #expect(agreement.kappa == 1)
        }
    }

    @Test func malformedCodingsNameTheirLine() {
        #expect(throws: Coding.FormatError.self) { try Coding(text: "id,tool\nx,A\nx,B\n", file: "c.csv", level: .tool) }
        do {
            _ = try Coding(text: "name,tool\nx,A\n", file: "c.csv", level: .tool)
        } catch {
            #expect(error.description == "c.csv:1:1: error: no “id” column in the header")
        }
    }
}

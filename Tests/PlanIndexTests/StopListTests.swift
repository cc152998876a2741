import Foundation
import Testing
import PlanKit
@testable import PlanIndex

/// The words `terms --top` and `cooccur` count: Han bigrams and Latin words, less the stop list — a one-character
/// entry drops every word holding it, a longer entry that word only.
struct StopListTests {
    @Test func oneCharacterEntriesDropEveryWordHoldingThemLongerOnesOnlyThemselves() {
        let list = StopList(text: "的  # a particle\n进一\n\n# a comment\nThe\n")
        for (word, dropped) in [("我的", true), ("的是", true), ("进一", true), ("一步", false), ("发展", false),
                                ("the", true), ("gdp", false), ("5g", false)] {
            #expect(list.excludes(word) == dropped, "\(word)")
            #expect(list.excludes(simpleWord: word) == dropped, "\(word)")
        }
        var edited = list
        edited.characters.insert("发")
        #expect(edited.excludes(simpleWord: "发展") && edited.excludes("发展"))
        #expect(!list.excludes(simpleWord: "发展"))
    }

    /// The words of real paragraphs are those the definition gives, token by token.
    @Test func wordsOfRealParagraphsFollowTheDefinition() throws {
        let text = try String(contentsOf: Fixtures.corpus.appendingPathComponent("reports/government-work-reports-2021-2025.jsonl"), encoding: .utf8)
        let sample = String(text.prefix(20_000)) + " GDP增长5%，RCEP生效，ＣＰＩ上涨；𠀀𠀁 ⺀⺁ 〆〇"
        let stopList = StopList.standard
        let expected = IndexTokenizer(indexing: .bigram).tokens(of: sample).compactMap { token -> String? in
            let word = token.token
            let isBigram = word.unicodeScalars.count == 2 && word.unicodeScalars.allSatisfy { $0.properties.isIdeographic }
            let isWord = word.unicodeScalars.allSatisfy { $0.isASCII } && word.contains { $0.isLetter }
            return (isBigram || isWord) && !stopList.excludes(word) ? word : nil
        }
        let words = TermStatistics.words(in: sample, stopList: stopList).map(\.word)
        #expect(words == expected)
        #expect(words.count > 1000)
        #expect(words.contains("gdp") || words.contains("GDP"))
        #expect(!words.contains { $0.contains("的") })
    }
}

import Testing
@testable import PlanIndex

@Suite struct QueryParsingTests {
    @Test func userTextIsAlwaysQuotedInTheMatchExpression() throws {
        // FTS5 syntax typed by a user (column filters, prefixes, NEAR) stays literal text.
        let query = try SearchQuery(parsing: "heading:金融 x* -NEAR")
        #expect(query.fts5MatchExpression == #"(("heading:金融") AND ("x*")) NOT (("NEAR"))"#)
        #expect(try SearchQuery(parsing: "“a\"b”").fts5MatchExpression == #""a""b""#)
    }

    @Test(arguments: [
        ("\"金融", 1, "not closed"),
        ("金融 AND", 4, "needs a term after"),
        ("OR 金融", 1, "needs a term before"),
        ("(金融 贸易", 1, "not closed"),
        ("金融)", 3, "no matching"),
        ("-金融", 1, "cannot only exclude"),
        ("金融 OR -贸易", 1, "cannot only exclude"),
        ("，，", 1, "no letters"),
        ("   ", 1, "empty"),
        ("金融 NOT", 4, "needs a term after"),
    ])
    func malformedQueriesNameTheColumn(text: String, column: Int, message: String) {
        #expect {
            _ = try SearchQuery(parsing: text)
        } throws: { error in
            guard let error = error as? SearchQuerySyntaxError else { return false }
            return error.column == column && error.message.contains(message)
                && error.description.hasPrefix("query error at column \(column):")
        }
    }

    @Test func lowercaseOperatorsAreWords() throws {
        #expect(try SearchQuery(parsing: "free and trade") == .all([.term("free"), .term("and"), .term("trade")]))
        #expect(try SearchQuery(parsing: "“自由 贸易”") == .phrase("自由 贸易"))
    }
}

/// Publication-date bounds: what users write, as the stored dates are written; what is no date, refused.
struct PublicationDateTests {
    @Test func boundsAreWrittenAsStoredDatesAre() throws {
        for (given, lower, upper) in [("2021", "2021", "2021-12-31"), ("2021-8", "2021-08", "2021-08-31"),
                                      ("2021/8/3", "2021-08-03", "2021-08-03"), ("2021.12.31", "2021-12-31", "2021-12-31"),
                                      (" 2024-02-29 ", "2024-02-29", "2024-02-29")] {
            let date = try #require(PublicationDate(given), "\(given)")
            #expect(date.lowerBound == lower && date.upperBound == upper, "\(given): \(date.lowerBound) \(date.upperBound)")
        }
        for given in ["", "abc", "21", "2021-13", "2021-0", "2021-02-29", "1900-02-29", "2021-04-31", "2021-08-23-1", "2021--08",
                      "２０２１", "2021-8a", "2021-123"] {
            #expect(PublicationDate(given) == nil, "\(given)")
        }
        #expect(PublicationDate("2000-02-29") != nil)
    }
}

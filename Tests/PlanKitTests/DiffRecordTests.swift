import Testing
@testable import PlanKit

/// Record changes between versions, over records as extraction would give them.
@Suite struct DiffRecordTests {
    @Test func changedFiguresAddedAndRemovedRecords() {
        let old = [
            RecordSnapshot(kind: "target", nodeID: "chp_2__sec_1__para_3", name: "可网办率", value: "100%", unit: "%",
                           comparator: "=", year: 2025),
            RecordSnapshot(kind: "target", nodeID: "chp_2__sec_1__para_4", name: "新注册企业", value: "1万户", unit: "户",
                           comparator: ">=", year: 2025),
            RecordSnapshot(kind: "measure", nodeID: "chp_3__sec_1__para_1", name: "实施高标准的外商投资准入"),
        ]
        let new = [
            // The paragraph moved (chp_2__sec_1__para_3 → chp_2__sec_2__para_1); the record follows it.
            RecordSnapshot(kind: "target", nodeID: "chp_2__sec_2__para_1", name: "可网办率", value: "95%", unit: "%",
                           comparator: ">=", year: 2025),
            RecordSnapshot(kind: "target", nodeID: "chp_2__sec_1__para_4", name: "新注册企业", value: "1万户", unit: "户",
                           comparator: ">=", year: 2025),
            RecordSnapshot(kind: "measure", nodeID: "chp_3__sec_1__para_2", name: "全面实行准入前国民待遇"),
        ]
        let changes = RecordDiff.compare(old, new, nodePartners: ["chp_2__sec_1__para_3": "chp_2__sec_2__para_1",
                                                                  "chp_2__sec_1__para_4": "chp_2__sec_1__para_4"])
        #expect(changes.map(\.summary) == [
            "可网办率 target 2025: 100% → ≥95%",
            "measure 实施高标准的外商投资准入: removed",
            "measure 全面实行准入前国民待遇: added",
        ])
        #expect(changes[0].fields.map(\.field) == ["value", "comparator"])
        #expect(changes[0].newNodeID == "chp_2__sec_2__para_1")
    }

    @Test func recordsInsideArticlesFollowTheirArticle() {
        let old = [RecordSnapshot(kind: "target", nodeID: "art_12__para_2", name: "覆盖率", value: "80%", year: 2020)]
        let new = [RecordSnapshot(kind: "target", nodeID: "art_15__para_2", name: "覆盖率", value: "90%", year: 2025),
                   RecordSnapshot(kind: "target", nodeID: "art_3__para_1", name: "覆盖率", value: "70%", year: 2025)]
        let changes = RecordDiff.compare(old, new, nodePartners: ["art_12__para_2": "art_15"])
        #expect(changes.first?.summary == "覆盖率 target 2020 → 2025: 80% → 90%")
        #expect(changes.count == 2)  // and the other 覆盖率 is a new target
    }
}

import Foundation
import PlanIndex
import Testing

/// A path's steps, split as Foundation's `components(separatedBy: " › ")` splits them.
struct PathStepsTests {
    @Test func splitsAsFoundationDoes() {
        let paths = ["第五章 开放 › 第四节 跨境电商 › 段2", "段1", "", " › ", "A › › B", "A ›B", "A  › B", "A ›  B",
                     "第一章　总　则 › 第一条", "A › ", " › A", "A›B › C", "  ", "A › B › C › D", "目录 ›› 附则"]
        for path in paths {
            #expect(PathSteps.split(path) == path.components(separatedBy: " › "), "\(path)")
            #expect(PathSteps.join(PathSteps.split(path)) == path, "\(path)")
        }
    }
}

import Foundation
import PlanKit

/// Text reuse against a whole knowledge base (`plankb reuse --db KB --doc KEY`): for each paragraph of one
/// document, the paragraphs of other documents whose text it reuses, best first.
///
/// The index that finds the candidates is the one `plankb index` already builds: the full-text index. Each
/// paragraph is probed with a few of its own phrases — up to `probesPerUnit` stretches of 8–12 characters
/// between punctuation, spread over the paragraph — and the nodes that contain a probe verbatim are the
/// candidates, which `ReuseFinder.compare` then aligns exactly. A reused passage of 24 characters or more
/// (the least `partial` reports) holds at least one such stretch unless punctuation cuts it into pieces
/// shorter than 8, so the probes reach every pair the rules can report; `plankb bench-reuse` measures how
/// many pairs of a brute-force comparison of every paragraph with every other the probes find.
/// Only protocol methods are used (`search`, `nodeText`, `document(withKey:)`), so every backend has it.
public struct KnowledgeBaseReuse: Sendable {
    public var knowledgeBase: any KnowledgeBase
    public var settings: ReuseSettings
    /// Probe phrases searched per paragraph.
    public var probesPerUnit = 6
    /// Hits taken per probe.
    public var hitsPerProbe = 12

    public init(knowledgeBase: any KnowledgeBase, settings: ReuseSettings = ReuseSettings()) {
        self.knowledgeBase = knowledgeBase
        self.settings = settings
    }

    /// The reuse report of one document against every other document of the knowledge base. The paragraphs
    /// are probed on as many threads as there are processors (each with its own cache of candidate texts).
    public func report(forDocument key: String) throws -> ReuseReport? {
        guard let stored = try knowledgeBase.document(withKey: key) else { return nil }
        let units = ReuseUnit.units(of: stored.root, document: key, minimumLength: settings.minimumUnitLength)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, units.count))
        let results = ParallelResults<(pairs: [(unit: Int, pairs: [ReusePair])], titles: [String: String])>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            results.set(worker, Result {
                var cache = CandidateCache()
                var found: [(unit: Int, pairs: [ReusePair])] = []
                for index in stride(from: worker, to: units.count, by: workers) {
                    found.append((index, try bestPairs(of: units[index], excluding: key, cache: &cache)))
                }
                return (found, cache.titles)
            })
        }
        var byUnit: [(unit: Int, pairs: [ReusePair])] = []
        var titles: [String: String] = [:]
        for result in try results.values() {
            byUnit += result.pairs
            titles.merge(result.titles) { first, _ in first }
        }
        let pairs = byUnit.sorted { $0.unit < $1.unit }.flatMap(\.pairs)
        var sourceKeys: [String] = []
        for pair in pairs {
            if let document = pair.source.document, !sourceKeys.contains(document) { sourceKeys.append(document) }
        }
        let sources = sourceKeys.map { ReuseReport.DocumentSide(key: $0, title: titles[$0]) }
        var report = ReuseReport(target: .init(key: key, title: stored.metadata.title), sources: sources,
                                 pairs: pairs, targetUnits: units)
        report.shares.sort { ($0.share, $1.source) > ($1.share, $0.source) }
        return report
    }

    /// Texts of candidate nodes already read, and the titles of their documents.
    struct CandidateCache {
        var texts: [String: ReuseUnit] = [:]
        var titles: [String: String] = [:]
    }

    /// The best pairs of one paragraph: the nodes of other documents holding one of its probes, aligned.
    func bestPairs(of unit: ReuseUnit, excluding key: String, cache: inout CandidateCache) throws -> [ReusePair] {
        let finder = ReuseFinder(sources: [], settings: settings)
        var candidates: [(document: String, id: String, path: String)] = []
        var seen: Set<String> = []
        for probe in Self.probes(of: unit.text, count: probesPerUnit) {
            let request = SearchRequest(query: .phrase(probe), limit: hitsPerProbe)
            for hit in try knowledgeBase.search(request) where hit.documentKey != key {
                let (id, path) = Self.paragraph(ofHit: hit)
                if seen.insert(hit.documentKey + "\u{1}" + id).inserted {
                    candidates.append((hit.documentKey, id, path))
                    if cache.titles[hit.documentKey] == nil { cache.titles[hit.documentKey] = hit.documentTitle }
                }
            }
        }
        var found: [ReusePair] = []
        for candidate in candidates {
            let cacheKey = candidate.document + "\u{1}" + candidate.id
            let source: ReuseUnit
            if let cached = cache.texts[cacheKey] {
                source = cached
            } else {
                guard let text = try knowledgeBase.nodeText(documentKey: candidate.document, nodeID: candidate.id)
                else { continue }
                source = ReuseUnit(document: candidate.document, id: candidate.id, path: candidate.path, text: text)
                cache.texts[cacheKey] = source
            }
            if let pair = finder.compare(unit, source) { found.append(pair) }
        }
        found.sort { ($0.similarity, $1.source.id) > ($1.similarity, $0.source.id) }
        return Array(found.prefix(settings.matchesPerUnit))
    }

    /// The pairs found without the knowledge base's index, the baseline of `bench-reuse`: every paragraph of
    /// the document against every paragraph of every other document sharing a 4-gram with it (a pair the rules
    /// report shares a passage of 12 characters, hence nine 4-grams, so this misses none), from `finder` built
    /// over all paragraphs with `exhaustiveSettings`.
    public func exhaustivePairs(forDocument key: String, finder: ReuseFinder) throws -> [ReusePair] {
        guard let stored = try knowledgeBase.document(withKey: key) else { return [] }
        return ReuseUnit.units(of: stored.root, document: key, minimumLength: settings.minimumUnitLength)
            .flatMap { finder.matches(for: $0, otherDocumentsOnly: true) }
    }

    /// `settings` with no 4-gram left out as common and no limit on candidates.
    public var exhaustiveSettings: ReuseSettings {
        var exhaustive = settings
        exhaustive.commonShingleLimit = .max
        exhaustive.candidateLimit = .max
        return exhaustive
    }

    /// Up to `count` phrases of 8–12 letters and digits standing between punctuation in `text`, spread evenly.
    static func probes(of text: String, count: Int) -> [String] {
        var stretches: [String] = []
        var current = ""
        func close() {
            if current.count >= 8 {
                // Long stretches give several probes, each a run of 12 from where the last one ended.
                var rest = Substring(current)
                while rest.count >= 8 {
                    stretches.append(String(rest.prefix(12)))
                    rest = rest.dropFirst(12)
                }
            }
            current = ""
        }
        for character in text {
            if character.unicodeScalars.allSatisfy({ ReuseText.isMatchable(Normalizer.fold($0) ?? " ") }) {
                current.append(character)
            } else {
                close()
            }
        }
        close()
        guard stretches.count > count else { return stretches }
        let step = Double(stretches.count) / Double(count)
        return (0..<count).map { stretches[Int(Double($0) * step)] }
    }

    /// The paragraph a hit stands for: a clause or lead sentence hit is its paragraph's (`…__clause_2` → `…`).
    static func paragraph(ofHit hit: SearchHit) -> (id: String, path: String) {
        guard hit.kind == NodeKind.clause.rawValue || hit.kind == NodeKind.lead.rawValue,
              let cut = hit.nodeID.range(of: "__", options: .backwards) else { return (hit.nodeID, hit.path) }
        let path = PathSteps.join(PathSteps.split(hit.path).dropLast())
        return (String(hit.nodeID[..<cut.lowerBound]), path)
    }
}

import ArgumentParser

/// A comma- or space-separated list of numbers given as one argument ('1,2,3').
struct NumberList: ExpressibleByArgument, Sendable {
    let values: [Double]

    init?(argument: String) {
        let parts = argument.split(whereSeparator: { $0 == "," || $0 == " " })
        let numbers = parts.compactMap { Double($0) }
        guard !parts.isEmpty, numbers.count == parts.count, numbers.allSatisfy(\.isFinite) else { return nil }
        values = numbers
    }
}

import Tracing

/// Runs `body` inside a span named `name` when a tracer is given, with the
/// span's context current for the spans `body` starts; without a tracer,
/// just runs `body` (one check: what tracing costs when it is off). A
/// failure is recorded on the span and rethrown as it was.
func withOptionalSpan<T, E: Error>(
    _ tracer: (any Tracer)?, _ name: String,
    attributes: (inout SpanAttributes) -> Void = { _ in },
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws(E) -> T
) async throws(E) -> T {
    guard let tracer else { return try await body() }
    return try await spanning(tracer, name, attributes: attributes, body)
}

private func spanning<Traced: Tracer, T, E: Error>(
    _ tracer: Traced, _ name: String,
    attributes: (inout SpanAttributes) -> Void,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws(E) -> T
) async throws(E) -> T {
    let span = tracer.startSpan(name, context: InstrumentationContext.current ?? .topLevel, ofKind: .internal)
    guard span.isRecording else {
        // A tracer that records nothing (or samples this span out): no
        // attributes, no context to hand down, nothing to record.
        defer { span.end() }
        return try await body()
    }
    var given = SpanAttributes()
    attributes(&given)
    span.attributes.merge(given)
    defer { span.end() }
    let result: Result<T, E> = await InstrumentationContext.withValue(span.context) {
        do throws(E) {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
    if case .failure(let error) = result {
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
    }
    return try result.get()
}

//! Benchmarks for cxkpi (see benches/).

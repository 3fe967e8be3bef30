//! `wish-bench`'s integration tests: each workload end to end at toy sizes.

mod workloads;

//! The crate's one stable sort. Every `sort_by` over a new element type
//! instantiates the standard library's sort again, about 4.5 KB of
//! WebAssembly each; sorting positions by their text instead serves every
//! caller (the canonical query, free-form XML members) with one copy.

use alloc::vec::Vec;

/// The positions of `keys` in ascending byte order of the keys; equal keys
/// keep their order (a stable sort).
pub(crate) fn sorted_positions(keys: &[&str]) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..keys.len()).collect();
    // Equal keys ordered by position: no two elements compare equal, so
    // the unstable sort gives the stable sort's order, with 170 bytes less
    // gzipped wasm than the stable one.
    positions.sort_unstable_by(|&a, &b| keys[a].as_bytes().cmp(keys[b].as_bytes()).then(a.cmp(&b)));
    positions
}

#[cfg(test)]
mod tests {
    use super::sorted_positions;

    #[test]
    fn sorts_by_bytes_and_keeps_the_order_of_equal_keys() {
        let keys = ["b", "a", "B", "a", "", "ab", "b"];
        assert_eq!(sorted_positions(&keys), [4, 2, 1, 3, 5, 0, 6]);
        assert!(sorted_positions(&[]).is_empty());
    }
}

//! The process's allocator: the system's, asking the kernel for transparent huge pages on
//! large blocks.
//!
//! The NER weight table (some 12 MB) and each worker's word memo (12 MiB) are read at random, a
//! cache line here and another there. With 4 KiB pages most of those reads miss the TLB as
//! well as the cache, and the processor walks the page tables before it can even start to
//! fetch the line. Blocks of [`HUGE_PAGE`] or more are therefore aligned to that size and
//! marked `MADV_HUGEPAGE`, which Linux honours when its transparent huge pages are in
//! `madvise` mode (its usual default) and ignores otherwise. Nothing else changes: the same
//! system allocator serves every block, and a block's layout decides alike when it is
//! allocated and when it is freed. One cost: a block of that size that grows is copied (the
//! system allocator moves an over-aligned block rather than remapping it), which a `Vec`'s
//! doubling keeps to about the block's final size in all.

use std::alloc::{GlobalAlloc, Layout, System};

/// The size of a transparent huge page on x86-64 and most aarch64 kernels.
const HUGE_PAGE: usize = 2 << 20;

pub struct HugePageAlloc;

/// The layout a block of `layout` is given: aligned to a huge page if it is that large.
fn actual(layout: Layout) -> Layout {
    if layout.size() < HUGE_PAGE {
        return layout;
    }
    layout.align_to(HUGE_PAGE).unwrap_or(layout)
}

#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, layout: Layout) {
    if ptr.is_null() || layout.size() < HUGE_PAGE || layout.align() < HUGE_PAGE {
        return;
    }
    let len = layout.size() - layout.size() % HUGE_PAGE;
    // SAFETY: `ptr..ptr + len` lies within the block just allocated, and MADV_HUGEPAGE only
    // changes how the kernel backs the range, not its contents. A failure (a kernel built
    // without transparent huge pages) leaves the block as it was.
    unsafe {
        libc::madvise(ptr.cast(), len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_ptr: *mut u8, _layout: Layout) {}

// SAFETY: every call goes to `System` with the layout `actual` gives, which depends only on
// the layout the caller passes, so a block is freed with the layout it was allocated with.
unsafe impl GlobalAlloc for HugePageAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let layout = actual(layout);
        // SAFETY: `layout` has the caller's non-zero size.
        let ptr = unsafe { System.alloc(layout) };
        advise(ptr, layout);
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let layout = actual(layout);
        // SAFETY: as in `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        advise(ptr, layout);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `actual(layout)`.
        unsafe { System.dealloc(ptr, actual(layout)) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = actual(layout);
        let Ok(new) = Layout::from_size_align(new_size, layout.align()).map(actual) else {
            return std::ptr::null_mut();
        };
        if old.align() == new.align() {
            // SAFETY: `ptr` was allocated by `System` with `old`, whose alignment `new` keeps.
            let grown = unsafe { System.realloc(ptr, old, new_size) };
            advise(grown, new);
            return grown;
        }
        // Crossing the huge-page size: a new block with the other alignment, as the default
        // `realloc` does.
        // SAFETY: `new` has a non-zero size; both blocks hold at least `copied` bytes.
        unsafe {
            let moved = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !moved.is_null() {
                let copied = layout.size().min(new_size);
                std::ptr::copy_nonoverlapping(ptr, moved, copied);
                self.dealloc(ptr, layout);
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::{HUGE_PAGE, HugePageAlloc};

    #[test]
    fn blocks_keep_their_contents_across_the_huge_page_size() {
        let alloc = HugePageAlloc;
        let small = Layout::from_size_align(1000, 8).unwrap();
        // SAFETY: every block is used within its size and freed with its layout.
        unsafe {
            let ptr = alloc.alloc(small);
            assert!(!ptr.is_null());
            for idx in 0..1000 {
                *ptr.add(idx) = idx as u8;
            }
            // Grown past the size: moved to a block aligned to a huge page.
            let big = alloc.realloc(ptr, small, 3 * HUGE_PAGE);
            assert!(!big.is_null());
            assert_eq!(big as usize % HUGE_PAGE, 0);
            assert!((0..1000).all(|idx| *big.add(idx) == idx as u8));
            *big.add(3 * HUGE_PAGE - 1) = 7;
            // Grown again, in place or not, then shrunk back below the size.
            let big_layout = Layout::from_size_align(3 * HUGE_PAGE, 8).unwrap();
            let bigger = alloc.realloc(big, big_layout, 4 * HUGE_PAGE);
            assert!(!bigger.is_null());
            assert_eq!(*bigger.add(3 * HUGE_PAGE - 1), 7);
            let bigger_layout = Layout::from_size_align(4 * HUGE_PAGE, 8).unwrap();
            let shrunk = alloc.realloc(bigger, bigger_layout, 500);
            assert!(!shrunk.is_null());
            assert!((0..500).all(|idx| *shrunk.add(idx) == idx as u8));
            alloc.dealloc(shrunk, Layout::from_size_align(500, 8).unwrap());

            let zeroed = alloc.alloc_zeroed(big_layout);
            assert!(!zeroed.is_null());
            assert!(
                (0..3 * HUGE_PAGE)
                    .step_by(4093)
                    .all(|idx| *zeroed.add(idx) == 0)
            );
            alloc.dealloc(zeroed, big_layout);
        }
    }
}

//! The toggle rule: what one accepted scan does, given who is in.
//!
//! A guardian picks on the phone which children the pass is for. If every one of them is
//! checked in at this center, the scan checks them all out; otherwise it checks in those not
//! yet in (those already in stay in). One scan therefore makes exactly one event, of one kind,
//! which is what lets the replay rule say "one nonce, one event".

use crate::{ids::ChildNo, messages::EventKind};

/// The effect of one accepted scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggle {
    /// In or out.
    pub kind: EventKind,
    /// The children the event names (never empty when the pass names a child).
    pub children: Vec<ChildNo>,
}

/// Decides the event for a pass naming `pass_children`, where `is_in` says whether a child of
/// this guardian is checked in at this center now.
pub fn toggle(pass_children: &[ChildNo], is_in: impl Fn(ChildNo) -> bool) -> Toggle {
    let not_in: Vec<ChildNo> = pass_children
        .iter()
        .copied()
        .filter(|c| !is_in(*c))
        .collect();
    if not_in.is_empty() {
        Toggle {
            kind: EventKind::CheckOut,
            children: pass_children.to_vec(),
        }
    } else {
        Toggle {
            kind: EventKind::CheckIn,
            children: not_in,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn kids(numbers: &[u16]) -> Vec<ChildNo> {
        numbers.iter().map(|n| ChildNo::new(*n).unwrap()).collect()
    }

    #[test]
    fn nobody_in_checks_everyone_in() {
        let t = toggle(&kids(&[1, 2]), |_| false);
        assert_eq!(t.kind, EventKind::CheckIn);
        assert_eq!(t.children, kids(&[1, 2]));
    }

    #[test]
    fn everyone_in_checks_everyone_out() {
        let t = toggle(&kids(&[1, 2]), |_| true);
        assert_eq!(t.kind, EventKind::CheckOut);
        assert_eq!(t.children, kids(&[1, 2]));
    }

    #[test]
    fn some_in_checks_in_the_others_only() {
        let inside = kids(&[1]);
        let t = toggle(&kids(&[1, 2, 3]), |c| inside.contains(&c));
        assert_eq!(t.kind, EventKind::CheckIn);
        assert_eq!(t.children, kids(&[2, 3]));
    }

    #[test]
    fn two_scans_of_fresh_passes_go_in_then_out() {
        let mut inside: Vec<ChildNo> = Vec::new();
        let first = toggle(&kids(&[2]), |c| inside.contains(&c));
        inside.extend(&first.children);
        let second = toggle(&kids(&[2]), |c| inside.contains(&c));
        assert_eq!(
            (first.kind, second.kind),
            (EventKind::CheckIn, EventKind::CheckOut)
        );
    }
}

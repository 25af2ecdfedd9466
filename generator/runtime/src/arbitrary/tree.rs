//! Three strategies written here rather than taken from proptest's combinators, because those
//! keep state in every value they make that the generated strategies never use, and a value of
//! a large spec holds thousands of them.
//!
//! - [`Lazy`] in place of `Just(()).prop_flat_map(make)`: a flat map keeps a clone of the test
//!   runner (its configuration and a fresh random generator) in each value, to make the inner
//!   value again when the outer one shrinks; the outer value here is `()`, which never does.
//! - [`Maybe`] in place of `proptest::option::weighted`: that is a union of `None` and
//!   `Some(_)`, which keeps a runner clone in each present value to make the `None` it may
//!   shrink to, though making `None` needs no randomness at all.
//! - [`OneOf`] in place of `proptest::strategy::Union`, which keeps a runner clone for every
//!   alternative before the one it picked, to make their values should shrinking turn to
//!   them. Here a value keeps a 32-byte seed instead, and a runner is made from it only if
//!   shrinking does turn to an earlier alternative. An invalid-value strategy is a union of
//!   one alternative per rule it can break (hundreds on Stripe's larger types).
//!
//! Stripe's proof (`cargo xtask arbitrary-proof`) spent most of its time cloning and dropping
//! those runners. Each shrinks as the combinator it replaces does: [`Maybe`] tries `None`
//! first, then shrinks the value it holds; [`OneOf`] shrinks its alternative's value, then
//! turns to the alternatives listed before it.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, NewTree, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The strategy `make(depth)` gives, made when a value is asked for (see
/// [`lazy`](super::lazy)).
pub(super) struct Lazy<T> {
    pub(super) make: fn(u32) -> BoxedStrategy<T>,
    pub(super) depth: u32,
}

impl<T> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lazy").field("depth", &self.depth).finish_non_exhaustive()
    }
}

impl<T: std::fmt::Debug> Strategy for Lazy<T> {
    type Tree = Box<dyn ValueTree<Value = T>>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        (self.make)(self.depth).new_tree(runner)
    }
}

/// `Some` of `value`'s values with probability `present`, else `None` (see
/// [`optional`](super::optional)).
#[derive(Debug)]
pub(super) struct Maybe<S> {
    pub(super) present: f64,
    pub(super) value: S,
}

impl<S: Strategy> Strategy for Maybe<S> {
    type Tree = MaybeTree<S::Tree>;
    type Value = Option<S::Value>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let inner = if runner.rng().random_bool(self.present) { Some(self.value.new_tree(runner)?) } else { None };
        Ok(MaybeTree { inner, state: State::Value })
    }
}

/// A value of [`Maybe`]: absent, or present with the tree it shrinks by.
pub(super) struct MaybeTree<T> {
    inner: Option<T>,
    state: State,
}

/// Where a present value's shrinking is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The value, `None` not tried yet.
    Value,
    /// `None` is being tried.
    TryingNone,
    /// `None` was tried and did not do (the test passed with it): the value shrinks instead.
    NoneRefused,
}

impl<T: ValueTree> ValueTree for MaybeTree<T> {
    type Value = Option<T::Value>;

    fn current(&self) -> Option<T::Value> {
        match (&self.inner, self.state) {
            (Some(inner), State::Value | State::NoneRefused) => Some(inner.current()),
            _ => None,
        }
    }

    fn simplify(&mut self) -> bool {
        match (&mut self.inner, self.state) {
            (None, _) | (Some(_), State::TryingNone) => false,
            (Some(_), State::Value) => {
                self.state = State::TryingNone;
                true
            }
            (Some(inner), State::NoneRefused) => inner.simplify(),
        }
    }

    fn complicate(&mut self) -> bool {
        match (&mut self.inner, self.state) {
            (None, _) | (Some(_), State::Value) => false,
            (Some(_), State::TryingNone) => {
                self.state = State::NoneRefused;
                true
            }
            (Some(inner), State::NoneRefused) => inner.complicate(),
        }
    }
}

/// One of `options`' values, each option as likely (see [`one_of`](super::one_of)); never
/// empty.
pub(super) struct OneOf<T> {
    pub(super) options: Arc<[BoxedStrategy<T>]>,
}

impl<T> std::fmt::Debug for OneOf<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneOf").field("options", &self.options.len()).finish()
    }
}

impl<T: std::fmt::Debug + 'static> Strategy for OneOf<T> {
    type Tree = OneOfTree<T>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let pick = runner.rng().random_range(0..self.options.len());
        let tree = self.options[pick].new_tree(runner)?;
        let mut trees: Vec<Option<Box<dyn ValueTree<Value = T>>>> = Vec::new();
        trees.resize_with(pick, || None);
        trees.push(Some(tree));
        Ok(OneOfTree {
            options: Arc::clone(&self.options),
            trees,
            pick,
            min_pick: 0,
            prev_pick: None,
            seed: runner.rng().random(),
            runner: None,
        })
    }
}

/// A value of [`OneOf`]: the tree of the alternative picked, and those of earlier ones that
/// shrinking has made, as proptest's `UnionValueTree` keeps them.
pub(super) struct OneOfTree<T> {
    options: Arc<[BoxedStrategy<T>]>,
    /// Index `pick` and, when set, `prev_pick` always hold a tree.
    trees: Vec<Option<Box<dyn ValueTree<Value = T>>>>,
    pick: usize,
    min_pick: usize,
    prev_pick: Option<usize>,
    /// The seed of `runner`, drawn when the value was made.
    seed: [u8; 32],
    /// The runner that makes earlier alternatives' values, made on first need.
    runner: Option<TestRunner>,
}

impl<T> OneOfTree<T> {
    fn picked(&mut self) -> Option<&mut Box<dyn ValueTree<Value = T>>> {
        self.trees.get_mut(self.pick).and_then(Option::as_mut)
    }
}

impl<T: std::fmt::Debug> ValueTree for OneOfTree<T> {
    type Value = T;

    fn current(&self) -> T {
        match self.trees.get(self.pick) {
            Some(Some(tree)) => tree.current(),
            // `pick` always holds a tree: `new_tree` makes it, and shrinking moves `pick` only
            // to an index it has made one at.
            _ => unreachable!("a union value's picked alternative has no tree"),
        }
    }

    fn simplify(&mut self) -> bool {
        if self.picked().is_some_and(|tree| tree.simplify()) {
            self.prev_pick = None;
            return true;
        }
        if self.pick <= self.min_pick {
            return false;
        }
        self.prev_pick = Some(self.pick);
        let seed = self.seed;
        let runner = self.runner.get_or_insert_with(|| {
            TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
        });
        let mut next = self.pick;
        while next > self.min_pick {
            next -= 1;
            if self.trees[next].is_none() {
                self.trees[next] = self.options[next].new_tree(runner).ok();
            }
            if self.trees[next].is_some() {
                self.pick = next;
                return true;
            }
        }
        false
    }

    fn complicate(&mut self) -> bool {
        if let Some(pick) = self.prev_pick.take() {
            self.pick = pick;
            self.min_pick = pick;
            true
        } else {
            self.picked().is_some_and(|tree| tree.complicate())
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::test_runner::{TestCaseError, TestError};

    use super::super::{one_of, optional, sample};
    use super::*;

    /// The value proptest shrinks to from a failing `strategy` value, for a property that fails
    /// whenever `fails` says.
    fn minimal<T: std::fmt::Debug + Clone>(strategy: &BoxedStrategy<T>, fails: fn(&T) -> bool) -> T {
        let mut runner = TestRunner::deterministic();
        match runner.run(strategy, |v| if fails(&v) { Err(TestCaseError::fail("fails")) } else { Ok(()) }) {
            Err(TestError::Fail(_, value)) => value,
            other => panic!("the property should have failed: {other:?}"),
        }
    }

    #[test]
    fn one_of_picks_every_option_and_shrinks_to_earlier_ones() {
        let digits = || one_of(vec![(0u32..10).boxed(), (100u32..200).boxed(), (1000u32..2000).boxed()]);
        let values = sample(&digits(), 300);
        for range in [0..10, 100..200, 1000..2000] {
            assert!(values.iter().filter(|v| range.contains(*v)).count() > 50, "{range:?} in {values:?}");
        }
        // Any value fails: the first option's simplest value is the simplest of all, reached
        // from the later options through the runner made from the value's seed.
        assert_eq!(minimal(&digits(), |_| true), 0);
        let mut runner = TestRunner::deterministic();
        let mut tree = std::iter::repeat_with(|| digits().new_tree(&mut runner).expect("a value"))
            .find(|tree| tree.current() >= 1000)
            .expect("a value of the last option");
        while tree.simplify() {}
        assert_eq!(tree.current(), 0);
        // Only the last option's values fail: it shrinks within that option, to its least.
        assert_eq!(minimal(&digits(), |v| *v >= 1000), 1000);
        assert_eq!(minimal(&digits(), |v| *v >= 150), 150);
        assert!(one_of::<u32>(Vec::new()).new_tree(&mut TestRunner::deterministic()).is_err());
    }

    #[test]
    fn optional_values_shrink_to_none_then_within() {
        let maybe = || optional(1, (5u32..50).boxed());
        let values = sample(&maybe(), 500);
        let absent = values.iter().filter(|v| v.is_none()).count();
        assert!((50..=150).contains(&absent), "{absent} of 500 absent");
        assert_eq!(minimal(&maybe(), |_| true), None);
        assert_eq!(minimal(&maybe(), |v| v.is_some_and(|n| n >= 20)), Some(20));
        assert_eq!(sample(&optional(0, (5u32..50).boxed()), 20), vec![None; 20]);
    }

    #[test]
    fn lazy_strategies_are_made_one_level_down() {
        fn at(depth: u32) -> BoxedStrategy<u32> {
            Just(depth).boxed()
        }
        assert_eq!(sample(&super::super::lazy(at, 3), 3), vec![2, 2, 2]);
        assert_eq!(sample(&super::super::lazy(at, 0), 1), vec![0]);
    }
}

import { EMPTY_STATE, markSpent, take, type BudgetState } from './policy';
import type { RateBudgetStore } from './store';

/**
 * Budgets counted in this process only: right for the local stack's single worker process, wrong
 * for two replicas (each would spend the whole budget).
 */
export function createMemoryBudgetStore(): RateBudgetStore {
  const states = new Map<string, BudgetState>();
  const stateOf = (name: string): BudgetState => states.get(name) ?? EMPTY_STATE;
  return {
    kind: 'memory',
    async take(definition, cost, now, maxWaitMs) {
      const decision = take(definition, stateOf(definition.name), now, cost, maxWaitMs);
      if (decision.granted) states.set(definition.name, decision.state);
      return decision;
    },
    async markSpent(name, until) {
      states.set(name, markSpent(stateOf(name), until));
    },
    async read(name) {
      return stateOf(name);
    },
  };
}

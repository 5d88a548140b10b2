// training.js: the one way every view applies the settings that change while
// a net trains (optimiser and its hyper-parameters, L1/L2).

/**
 * Sets `net`'s optimiser to `opt` ({name, lr, momentum, beta2, decay}; unset
 * fields keep the engine's defaults) and its penalties to `reg` ({l1, l2}).
 * The same optimiser keeps its state (velocities, averages, step count) and
 * changes only its hyper-parameters; another one starts fresh. A loaded net
 * may have no optimizer property: it gets `opt` as given.
 */
export function applyTraining(net, opt, reg) {
  const defined = Object.fromEntries(Object.entries(opt).filter(([, v]) => v !== undefined));
  if (net.optimizer?.name === opt.name) net.setOptimizer({ ...net.optimizer, ...defined });
  else net.setOptimizer(defined);
  net.setRegularization({ l1: reg.l1 ?? 0, l2: reg.l2 ?? 0 });
}

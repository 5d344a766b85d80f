# Python part of emlearn_linreg, merged into the same .mpy as linreg.c (which provides new()).


def train(model, X_train, y_train, max_iterations=100, tolerance=1e-6, check_interval=10,
          divergence_factor=10.0, score_limit=None, verbose=0):
    """Gradient descent steps until converged, diverged or max_iterations; returns
    (last iteration, MSE at the previous check). Every check_interval steps the training MSE
    is computed: converged when it changed by less than tolerance since the previous check
    (after 2 * check_interval steps) or is <= score_limit; diverged when it grew by more than
    divergence_factor or is NaN. verbose 1 reports the stop, 2 also every check."""
    if not (0 < max_iterations <= 0x3fffffff and 0 < check_interval):
        raise ValueError("max_iterations, check_interval must be >= 1")
    prev_mse = float('inf')
    for iteration in range(max_iterations):
        model.step(X_train, y_train)
        if iteration % check_interval:
            continue
        mse = model.score_mse(X_train, y_train)
        if verbose >= 2:
            print('emlearn_linreg:', f'Iteration {iteration} mse={mse}')
        stop = None
        if abs(prev_mse - mse) < tolerance and iteration > check_interval * 2 or (
                score_limit is not None and mse <= score_limit):
            stop = 'Converged'
        elif mse > prev_mse * divergence_factor or mse != mse:
            stop = 'Diverged'
        if stop:
            if verbose >= 1:
                print('emlearn_linreg:', f'{stop} at iteration {iteration}')
            break
        prev_mse = mse
    return iteration, prev_mse

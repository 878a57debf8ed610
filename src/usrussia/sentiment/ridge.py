"""The ridge solver of the recommended score: its one home, the same on every CPU.

scikit-learn's ``Ridge`` with ``sparse_cg`` solved to a relative residual of ``RIDGE_TOL``
and checked: ``fit_ridge`` refuses a solution that may be more than ``RIDGE_COEF_ERROR``
from the exact one, so a refit gives the same numbers under any BLAS kernel or thread count.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import Ridge

RIDGE_TOL = 1e-12  # sparse_cg's relative residual (its default 1e-4 differs across CPUs)
RIDGE_COEF_ERROR = 1e-8  # bound on the coefficients' distance from the exact solution


def fit_ridge(x: sparse.csr_matrix, y: np.ndarray, alpha: float, tol: float = RIDGE_TOL) -> Ridge:
    """Ridge regression with an intercept, solved so tightly that it is the same on every CPU.

    scikit-learn's ``sparse_cg`` stops at a relative residual of ``tol``. Its default, 1e-4,
    leaves the predictions about 2e-4 from the exact solution, and where it stops depends
    on BLAS rounding, so another CPU or thread count moved them by up to 1e-3. The result
    is checked rather than trusted (scikit-learn does not report when its kernel-form CG
    stops short): the objective is ``alpha``-strongly convex, so the coefficients are
    within ``||gradient|| / alpha`` of the exact ridge solution.

    Parameters
    ----------
    x : sparse matrix, (n_samples, n_features)
        The design matrix, not centred (the intercept is fitted, not penalised).
    y : ndarray, (n_samples,)
        The ratings.
    alpha : float
        The ridge penalty.
    tol : float
        ``sparse_cg``'s relative residual at which it stops.

    Returns
    -------
    Ridge
        The fitted estimator.

    Raises
    ------
    RuntimeError
        If the coefficients may be more than ``RIDGE_COEF_ERROR`` from the exact solution.
    """
    ridge = Ridge(alpha=alpha, solver="sparse_cg", tol=tol).fit(x, y)
    residual = y - ridge.predict(x)
    offset = np.asarray(x.mean(axis=0)).ravel()
    gradient = x.T @ residual - offset * residual.sum() - alpha * ridge.coef_
    bound = float(np.linalg.norm(gradient)) / alpha
    if bound > RIDGE_COEF_ERROR:
        raise RuntimeError(
            f"ridge fit not converged: coefficients may be {bound:.1e} from the exact "
            f"solution (tol={tol:g}, alpha={alpha:g})"
        )
    return ridge

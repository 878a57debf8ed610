"""The ridge solver of the recommended score: its one home, the same on every CPU.

Conjugate gradients on the ridge normal equations (the primal form, centred, the intercept
not penalised), solved to a relative residual of ``RIDGE_TOL`` and checked: ``fit_ridge``
refuses a solution that may be more than ``RIDGE_COEF_ERROR`` from the exact one, so a
refit gives the same numbers under any BLAS kernel or thread count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import LinearOperator, cg

RIDGE_TOL = 1e-13  # CG's relative residual (scikit-learn's sparse_cg default, 1e-4, moved by CPU)
RIDGE_COEF_ERROR = 1e-8  # bound on the coefficients' distance from the exact solution


@dataclass(frozen=True)
class RidgeFit:
    """A fitted ridge regression: ``prediction = x @ coef_ + intercept_``."""

    coef_: np.ndarray
    intercept_: float
    n_iter_: int

    def predict(self, x: sparse.spmatrix | np.ndarray) -> np.ndarray:
        """The fitted values of the rows of ``x``."""
        return np.asarray(x @ self.coef_).ravel() + self.intercept_


def _gradient(x: sparse.csr_matrix, y: np.ndarray, alpha: float, fit: RidgeFit) -> np.ndarray:
    """Minus half the gradient of the ridge objective at ``fit`` (zero at the exact fit)."""
    residual = y - fit.predict(x)
    offset = np.asarray(x.mean(axis=0)).ravel()
    return x.T @ residual - offset * residual.sum() - alpha * fit.coef_


def fit_ridge(
    x: sparse.csr_matrix, y: np.ndarray, alpha: float, tol: float = RIDGE_TOL
) -> RidgeFit:
    """Ridge regression with an intercept, solved so tightly that it is the same on every CPU.

    The normal equations ``(Xc' Xc + alpha I) w = Xc' yc`` (``Xc``, ``yc`` centred, never
    formed: ``Xc`` is applied as ``X`` minus its column means) are solved by conjugate
    gradients to a relative residual of ``tol``. Their residual is the objective's
    gradient, which the result is checked on rather than trusted: the objective is
    ``alpha``-strongly convex, so the coefficients are within ``||gradient|| / alpha`` of
    the exact ridge solution. (scikit-learn's ``sparse_cg`` solves the kernel form when
    there are more terms than sentences, whose residual is not this gradient: on the NYT
    ratings with NewsMTSC it stalled at a bound of 2e-8 however small its ``tol``.)

    Parameters
    ----------
    x : sparse matrix, (n_samples, n_features)
        The design matrix, not centred (the intercept is fitted, not penalised).
    y : ndarray, (n_samples,)
        The ratings.
    alpha : float
        The ridge penalty.
    tol : float
        The relative residual at which CG stops.

    Returns
    -------
    RidgeFit
        ``coef_``, ``intercept_`` and the number of CG iterations.

    Raises
    ------
    RuntimeError
        If the coefficients may be more than ``RIDGE_COEF_ERROR`` from the exact solution.
    """
    x = sparse.csr_matrix(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    offset = np.asarray(x.mean(axis=0)).ravel()
    xt = x.T.tocsr()

    def normal(w: np.ndarray) -> np.ndarray:
        u = x @ w - offset @ w
        return xt @ u - offset * u.sum() + alpha * w

    centred = y - y.mean()
    rhs = xt @ centred - offset * centred.sum()
    iterations = [0]

    def count(_: np.ndarray) -> None:
        iterations[0] += 1

    operator = LinearOperator((x.shape[1],) * 2, matvec=normal, dtype=np.float64)
    coef, _ = cg(operator, rhs, rtol=tol, atol=0.0, maxiter=10 * x.shape[1], callback=count)
    fit = RidgeFit(coef, float(y.mean() - offset @ coef), iterations[0])
    bound = float(np.linalg.norm(_gradient(x, y, alpha, fit))) / alpha
    if bound > RIDGE_COEF_ERROR:
        raise RuntimeError(
            f"ridge fit not converged: coefficients may be {bound:.1e} from the exact "
            f"solution (tol={tol:g}, alpha={alpha:g})"
        )
    return fit

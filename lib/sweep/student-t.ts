/**
 * Student's t distribution and Welch's two-sample t-test, computed rather than looked up: the
 * comparison of two runs (compare.ts) needs quantiles at the fractional degrees of freedom that
 * Welch–Satterthwaite gives (e.g. 5.3), which no table holds. Pure: numbers in, numbers out.
 *
 * The route is the textbook one: the t distribution's tail is a regularized incomplete beta
 * function, P(|T| > t) = I_x(ν/2, 1/2) with x = ν / (ν + t²); I_x is evaluated by its continued
 * fraction (modified Lentz), ln Γ by the Lanczos approximation; the quantile inverts the CDF by
 * bisection, which cannot fail to converge on a monotone function.
 */

/** Lanczos coefficients for g = 7, n = 9: ln Γ to about 15 significant digits for x > 0. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma: x must be positive, got ${x}`);
  // Γ(x) = Γ(x + 1) / x keeps the series in the range where it is most accurate.
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const z = x - 1;
  let series = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/** Below this a continued fraction's partial denominator is treated as zero (Lentz's guard). */
const TINY = 1e-300;
const EPSILON = 1e-15;
const MAX_TERMS = 1000;

/**
 * The continued fraction of I_x(a, b) (without its prefactor), by the modified Lentz method. It
 * converges fast for x < (a + 1) / (a + b + 2); the caller swaps a and b above that.
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const twoM = 2 * m;
    // Even step: m (b − m) x / ((a + 2m − 1)(a + 2m)).
    const even = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM));
    d = 1 + even * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + even / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    fraction *= d * c;
    // Odd step: −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    const odd = (-(a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1));
    d = 1 + odd * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + odd / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < EPSILON) return fraction;
  }
  throw new Error(`incomplete beta: no convergence for x=${x}, a=${a}, b=${b}`);
}

/** The regularized incomplete beta function I_x(a, b), for 0 ≤ x ≤ 1 and a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new Error(`incompleteBeta: a and b must be positive, got a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new Error(`incompleteBeta: x must be between 0 and 1, got ${x}`);
  if (x === 0 || x === 1) return x;
  const logPrefactor = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const prefactor = Math.exp(logPrefactor);
  if (x < (a + 1) / (a + b + 2)) return (prefactor * betaContinuedFraction(x, a, b)) / a;
  return 1 - (prefactor * betaContinuedFraction(1 - x, b, a)) / b;
}

function checkDegrees(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new Error(`Student's t: degrees of freedom must be a positive finite number, got ${df}`);
}

/** P(|T| ≥ |t|) for T ~ Student's t with `df` degrees of freedom: the two-sided p-value of t. */
export function studentTTwoSidedP(t: number, df: number): number {
  checkDegrees(df);
  if (Number.isNaN(t)) throw new Error("Student's t: t is NaN");
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t) for T ~ Student's t with `df` degrees of freedom (fractional df allowed). */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTTwoSidedP(t, df) / 2;
  return t > 0 ? 1 - tail : tail;
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom: the t with P(T ≤ t) = p, for
 * 0 < p < 1. E.g. studentTQuantile(0.975, 4) = 2.7764…, the half-width factor of a 95 % interval.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegrees(df);
  if (!(p > 0 && p < 1)) throw new Error(`Student's t quantile: p must be between 0 and 1 (exclusive), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Search the upper tail, P(T > t) = 1 − p, where the CDF is computed most accurately.
  const tail = 1 - p;
  const upperTail = (t: number) => studentTTwoSidedP(t, df) / 2;
  let low = 0;
  let high = 1;
  while (upperTail(high) > tail) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const middle = (low + high) / 2;
    if (upperTail(middle) > tail) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** The outcome of Welch's t-test of mean(y) − mean(x). */
export interface WelchTest {
  /** mean(y) − mean(x). */
  difference: number;
  /** The difference's standard error, √(s_x²/n_x + s_y²/n_y). */
  standardError: number;
  /** difference ÷ standardError (±Infinity when the samples have no spread but different means). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional); null when neither sample has any spread. */
  df: number | null;
  /** Two-sided p-value of "the means are equal". */
  pValue: number;
  /** The confidence interval of the difference, at the level asked for. */
  low: number;
  high: number;
}

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const squares = values.reduce((sum, v) => sum + (v - mean) * (v - mean), 0);
  return { mean, variance: squares / (values.length - 1) };
}

/**
 * Welch's unequal-variances t-test of mean(y) − mean(x) (R's `t.test(y, x)` default), with its
 * two-sided p-value and the `confidence` interval of the difference. Each sample needs at least
 * two values (a variance). Samples without any spread give an exact answer: p = 1 for equal
 * means, p = 0 (t infinite) for different ones, and a zero-width interval.
 */
export function welchTTest(x: readonly number[], y: readonly number[], confidence = 0.95): WelchTest {
  if (x.length < 2 || y.length < 2) {
    throw new Error(`welchTTest: each sample needs at least 2 values, got ${x.length} and ${y.length}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new Error(`welchTTest: confidence must be between 0 and 1, got ${confidence}`);
  for (const value of [...x, ...y]) {
    if (!Number.isFinite(value)) throw new Error(`welchTTest: ${value} is not a finite number`);
  }
  const a = meanAndVariance(x);
  const b = meanAndVariance(y);
  const shareX = a.variance / x.length;
  const shareY = b.variance / y.length;
  const standardError = Math.sqrt(shareX + shareY);
  const difference = b.mean - a.mean;
  if (standardError === 0) {
    const same = difference === 0;
    return {
      difference,
      standardError,
      t: same ? 0 : Math.sign(difference) * Infinity,
      df: null,
      pValue: same ? 1 : 0,
      low: difference,
      high: difference,
    };
  }
  const df = (shareX + shareY) ** 2 / (shareX ** 2 / (x.length - 1) + shareY ** 2 / (y.length - 1));
  const t = difference / standardError;
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, df) * standardError;
  return { difference, standardError, t, df, pValue: studentTTwoSidedP(t, df), low: difference - halfWidth, high: difference + halfWidth };
}

//! Runs in CI from here: candle-core is patched (patches/candle-core-0.10.2.patch, which carries
//! the same file), but crates outside the workspace have their tests skipped by `cargo test --workspace`.
//! The CPU quantized matmul (`k_quants::matmul`) and its multi-row vec-dot kernels against
//! candle's scalar reference (`vec_dot_unopt`), on awkward sizes.
use candle_core::quantized::k_quants::{
    self, BlockQ2K, BlockQ3K, BlockQ4K, BlockQ4_0, BlockQ4_1, BlockQ5K, BlockQ5_1, BlockQ6K, BlockQ8K, BlockQ8_0,
    GgmlType,
};

const ROWS: [usize; 10] = [1, 2, 3, 4, 5, 7, 8, 9, 17, 33];

/// Deterministic values with a spread of magnitudes so block scales differ, plus outliers.
fn rnd(len: usize, seed: u64) -> Vec<f32> {
    let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 40) as f32 / (1u64 << 24) as f32
    };
    (0..len)
        .map(|i| {
            let v = next() * 2.0 - 1.0;
            let scale = 0.05 + 2.0 * ((i / 32) % 5) as f32;
            if next() < 0.01 {
                v * 40.0
            } else {
                v * scale
            }
        })
        .collect()
}

fn quantize<T: GgmlType>(xs: &[f32]) -> Vec<T> {
    let mut q = vec![T::zeros(); xs.len() / T::BLCK_SIZE];
    T::from_float(xs, &mut q);
    q
}

/// `vec_dot_unopt`, with a zero block appended when the count is odd: candle's Q4_1 reference
/// asserts an even block count, and a zero block adds exactly nothing.
fn reference<T: GgmlType>(k: usize, x: &[T], y: &[T::VecDotType]) -> f32 {
    let nb = k / T::BLCK_SIZE;
    if nb.is_multiple_of(2) {
        return T::vec_dot_unopt(k, x, y);
    }
    let zeros = vec![0f32; T::BLCK_SIZE];
    let mut x = x.to_vec();
    x.extend(quantize::<T>(&zeros));
    let mut y = y.to_vec();
    y.extend(quantize::<T::VecDotType>(&zeros));
    T::vec_dot_unopt(k + T::BLCK_SIZE, &x, &y)
}

/// Same quantized operands on both sides, so only float summation order differs; the bound
/// is relative to the sum of |terms| (dequantized weights times the f32 activations).
fn assert_close(got: f32, want: f32, w_deq: &[f32], act: &[f32], what: &str) {
    let mag: f32 = w_deq.iter().zip(act).map(|(a, b)| (a * b).abs()).sum();
    let tol = 1e-4 * mag + 1e-6;
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, reference {want}, |diff| {} > tol {tol}",
        (got - want).abs()
    );
}

/// vec_dot_rows::<R> returns exactly vec_dot per row, which matches the scalar reference.
fn check_rows<T: GgmlType, const R: usize>(name: &str, k: usize) {
    let w = rnd(k, 1 + k as u64);
    let wq = quantize::<T>(&w);
    let mut w_deq = vec![0f32; k];
    T::to_float(&wq, &mut w_deq);
    let acts: Vec<Vec<f32>> = (0..R).map(|r| rnd(k, 100 + r as u64)).collect();
    let aq: Vec<Vec<T::VecDotType>> = acts.iter().map(|a| quantize(a)).collect();
    let ys: [&[T::VecDotType]; R] = std::array::from_fn(|r| aq[r].as_slice());
    let got = T::vec_dot_rows::<R>(k, &wq, ys);
    for r in 0..R {
        let single = T::vec_dot(k, &wq, &aq[r]);
        assert_eq!(
            got[r].to_bits(),
            single.to_bits(),
            "{name} k={k} R={R} row {r}: vec_dot_rows {} != vec_dot {single}",
            got[r]
        );
        let want = reference::<T>(k, &wq, &aq[r]);
        assert_close(single, want, &w_deq, &acts[r], &format!("{name} k={k} row {r}"));
    }
}

fn check_kernels<T: GgmlType>(name: &str) {
    let b = T::BLCK_SIZE;
    for nb in [1, 2, 3, 5, 8, 19] {
        check_rows::<T, 1>(name, nb * b);
        check_rows::<T, 2>(name, nb * b);
        check_rows::<T, 3>(name, nb * b);
        check_rows::<T, 4>(name, nb * b);
        check_rows::<T, 8>(name, nb * b);
    }
}

/// matmul against the reference for every element, and each of its rows bit-for-bit equal to
/// a single-row matmul of that row (batched verify == single-token decode).
fn check_matmul<T: GgmlType>(name: &str) {
    let b = T::BLCK_SIZE;
    check_matmul_sizes::<T>(name, &[(b, 67), (3 * b, 1), (3 * b, 300), (7 * b, 1001)]);
}

fn check_matmul_sizes<T: GgmlType>(name: &str, sizes: &[(usize, usize)]) {
    let b = T::BLCK_SIZE;
    for &(k, n) in sizes {
        let w = rnd(n * k, 7 + k as u64);
        let wq = quantize::<T>(&w);
        let mut w_deq = vec![0f32; n * k];
        T::to_float(&wq, &mut w_deq);
        for m in ROWS {
            let x = rnd(m * k, 1000 + m as u64);
            let mut dst = vec![f32::NAN; m * n];
            k_quants::matmul((m, k, n), &x, &wq, &mut dst).unwrap();
            for i in 0..m {
                let xi = &x[i * k..(i + 1) * k];
                let mut single = vec![f32::NAN; n];
                k_quants::matmul((1, k, n), xi, &wq, &mut single).unwrap();
                let xq = quantize::<T::VecDotType>(xi);
                for j in 0..n {
                    let got = dst[i * n + j];
                    assert_eq!(
                        got.to_bits(),
                        single[j].to_bits(),
                        "{name} m={m} k={k} n={n} ({i},{j}): batched {got} != single-row {}",
                        single[j]
                    );
                    let wj = &wq[j * k / b..(j + 1) * k / b];
                    let want = reference::<T>(k, wj, &xq);
                    let what = format!("{name} m={m} k={k} n={n} ({i},{j})");
                    assert_close(got, want, &w_deq[j * k..(j + 1) * k], xi, &what);
                }
            }
        }
    }
}

#[test]
fn q4k_kernels() {
    check_kernels::<BlockQ4K>("q4k");
}

#[test]
fn q6k_kernels() {
    check_kernels::<BlockQ6K>("q6k");
}

#[test]
fn q8_0_kernels() {
    check_kernels::<BlockQ8_0>("q8_0");
}

// Without AVX2, Q5_0 is candle's scalar code, which debug-asserts an even block count.
#[cfg(target_feature = "avx2")]
#[test]
fn q5_0_kernels() {
    check_kernels::<k_quants::BlockQ5_0>("q5_0");
}

#[test]
fn q4_1_kernels() {
    check_kernels::<BlockQ4_1>("q4_1");
}

/// Types on the default (one vec_dot per row) path.
#[test]
fn default_rows_kernels() {
    check_kernels::<BlockQ4_0>("q4_0");
    check_kernels::<BlockQ5K>("q5k");
    check_kernels::<BlockQ8K>("q8k");
}

#[test]
fn q4k_matmul() {
    check_matmul::<BlockQ4K>("q4k");
}

#[test]
fn q6k_matmul() {
    check_matmul::<BlockQ6K>("q6k");
}

#[test]
fn q8_0_matmul() {
    check_matmul::<BlockQ8_0>("q8_0");
}

#[cfg(target_feature = "avx2")]
#[test]
fn q5_0_matmul() {
    check_matmul::<k_quants::BlockQ5_0>("q5_0");
}

#[test]
fn q4_1_matmul() {
    check_matmul::<BlockQ4_1>("q4_1");
}

#[test]
fn default_rows_matmul() {
    check_matmul::<BlockQ4_0>("q4_0");
    // candle's scalar Q5_1 vec_dot debug-asserts an even block count.
    check_matmul_sizes::<BlockQ5_1>("q5_1", &[(64, 67), (128, 300), (192, 1001)]);
    check_matmul::<BlockQ2K>("q2k");
    check_matmul::<BlockQ3K>("q3k");
    check_matmul::<BlockQ5K>("q5k");
}

/// Zero activation rows (Q8_K stores d = 0 and leaves bsums alone) and zero weights.
#[test]
fn zero_rows() {
    let (m, k, n) = (5, 512, 9);
    let w = rnd(n * k, 3);
    let mut x = rnd(m * k, 4);
    x[k..2 * k].fill(0.0);
    let wq = quantize::<BlockQ4K>(&w);
    let mut dst = vec![f32::NAN; m * n];
    k_quants::matmul((m, k, n), &x, &wq, &mut dst).unwrap();
    assert!(dst[n..2 * n].iter().all(|&v| v == 0.0), "{:?}", &dst[n..2 * n]);
    let wz = quantize::<BlockQ6K>(&vec![0f32; n * k]);
    k_quants::matmul((m, k, n), &x, &wz, &mut dst).unwrap();
    assert!(dst.iter().all(|&v| v == 0.0));
}

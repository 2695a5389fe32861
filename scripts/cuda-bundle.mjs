// Prints the `tauri build --config` JSON that ships the CUDA runtime libraries (CUDA_LIBS, from
// scripts/cuda-toolkit.sh) inside the NVIDIA installers, merged over src-tauri/tauri.conf.json:
//  - .deb: /usr/lib/anamnesis/cuda, where the binary's RUNPATH points (release.yml sets it);
//  - AppImage: usr/lib, where our linuxdeploy points every RUNPATH (scripts/appimage);
//  - MSI/NSIS: beside anamnesis.exe (resources land in the install folder), where Windows looks
//    first for a DLL.
// They are the libraries cudarc opens at run time (cuBLAS, cuBLASLt, cuRAND, NVRTC and its
// builtins), which no ELF file needs, so nothing would copy them otherwise; the CUDA runtime is
// linked in statically, and libcuda is the user's driver, never shipped.
import { basename } from "node:path";

const libs = (process.env.CUDA_LIBS ?? "").split(/\s+/).filter(Boolean);
const want = process.platform === "win32"
  ? ["cublas64_13", "cublasLt64_13", "curand64_10", "nvrtc64_130_0"]
  : ["libcublas.so", "libcublasLt.so", "libcurand.so", "libnvrtc.so"];
const missing = want.filter((w) => !libs.some((l) => basename(l).startsWith(w)));
if (missing.length) {
  console.error(`cuda-bundle: CUDA_LIBS lacks ${missing.join(", ")}`);
  process.exit(1);
}
const map = (dest) => Object.fromEntries(libs.map((l) => [dest(basename(l)), l]));
const config = process.platform === "win32"
  ? { bundle: { resources: Object.fromEntries(libs.map((l) => [l, basename(l)])) } }
  : {
      bundle: {
        linux: {
          deb: { files: map((n) => `/usr/lib/anamnesis/cuda/${n}`) },
          appimage: { files: map((n) => `/usr/lib/${n}`) },
        },
      },
    };
console.log(JSON.stringify(config));

#!/usr/bin/env python3
"""Kinora's Wan 2.1 DiT and VAE against diffusers' on one GPU (issue 14, "Speed").

Instantiates diffusers' WanTransformer3DModel (the real 1.3B config) and AutoencoderKLWan (the
Wan 2.1 VAE config) with random weights (no download), writes those weights and the inputs as
safetensors, times diffusers' DiT forward pass and VAE decode, runs kinora-wan-gpu-bench on the same
files with the same protocol, checks the two agree, and writes a table with the ratios.

Protocol, both sides: warm-up calls, then timed calls, each synchronised; the DiT in bf16 (the
modules diffusers keeps in fp32 kept in fp32 on both sides), one CFG half per forward pass and a
sampling step = 2 passes; the VAE in fp32 (and bf16 if asked), the whole clip decoded per call;
attention through SDPA (diffusers' default processor); peak memory = the CUDA caching allocator's
peak of allocated bytes (torch.cuda.max_memory_allocated / c10's device stats), reset after each
model is loaded, so it counts weights plus activations.

Each side is reported even when the other fails. Everything goes to --out (default $OUT): log
lines on stdout, results.json, table.md, kinora.json, kinora.stderr.
"""
import argparse
import ctypes
import gc
import json
import os
import platform
import struct
import subprocess
import sys
import time
import traceback

import torch

T0 = time.time()

DIT_FULL = dict(patch_size=(1, 2, 2), num_attention_heads=12, attention_head_dim=128, in_channels=16,
                out_channels=16, text_dim=4096, freq_dim=256, ffn_dim=8960, num_layers=30,
                cross_attn_norm=True, qk_norm="rms_norm_across_heads", eps=1e-6, image_dim=None,
                added_kv_proj_dim=None, rope_max_seq_len=1024)
# --small: every code path, a CPU-sized model (uneven RoPE split 24:20:20, 2 blocks).
DIT_SMALL = dict(DIT_FULL, num_attention_heads=2, attention_head_dim=64, text_dim=64, ffn_dim=256,
                 num_layers=2)
VAE_FULL = dict(base_dim=96, z_dim=16, dim_mult=[1, 2, 4, 4], num_res_blocks=2, attn_scales=[],
                temperal_downsample=[False, True, True], dropout=0.0)
VAE_SMALL = dict(VAE_FULL, base_dim=16)
# 832x480x81: latent [1, 16, 21, 60, 104] (32,760 tokens), context [1, 512, 4096].
LATENT_FULL, LATENT_SMALL = (1, 16, 21, 60, 104), (1, 16, 3, 8, 12)


def log(msg):
    print(f"[compare {time.time() - T0:7.1f}s] {msg}", flush=True)


# ------------------------------------------------------------------------------------------------
# safetensors without the package (u64 header length, JSON header, raw little-endian bytes), so
# that the weights can be written whatever the machine's Python has.
_ST_DTYPES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16", torch.int64: "I64"}


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    # Larger elements first keeps every tensor aligned to its element size.
    for name in sorted(tensors, key=lambda n: (-tensors[n].element_size(), n)):
        t = tensors[name].detach().contiguous().cpu()
        nbytes = t.numel() * t.element_size()
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + nbytes]}
        blobs.append(t)
        offset += nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for t in blobs:
            # The bytes straight from memory: no numpy needed, bf16 included.
            if nb := t.numel() * t.element_size():
                f.write(ctypes.string_at(t.data_ptr(), nb))
    os.replace(tmp, path)


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    inv = {v: k for k, v in _ST_DTYPES.items()}
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, e_ = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:e_]), dtype=torch.uint8) if e_ > b else torch.empty(0, dtype=torch.uint8)
        out[name] = t.view(inv[e["dtype"]]).reshape(e["shape"])
    return out


# ------------------------------------------------------------------------------------------------
def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def reset_peak(dev):
    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats(dev)


def peak_mib(dev):
    return torch.cuda.max_memory_allocated(dev) / 2**20 if dev.type == "cuda" else 0.0


def current_mib(dev):
    return torch.cuda.memory_allocated(dev) / 2**20 if dev.type == "cuda" else 0.0


def release(dev):
    gc.collect()
    if dev.type == "cuda":
        torch.cuda.empty_cache()


def time_calls(dev, warmup, iters, budget_s, call):
    """The same protocol as kinora-wan-gpu-bench's timeCalls."""
    warm, timed = [], []
    start = time.perf_counter()
    for _ in range(warmup):
        t = time.perf_counter()
        call()
        sync(dev)
        warm.append(time.perf_counter() - t)
    for _ in range(iters):
        t = time.perf_counter()
        call()
        sync(dev)
        timed.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget_s:
            break
    s = sorted(timed)
    return {"warmup_s": warm, "times_s": timed, "mean_s": sum(timed) / len(timed),
            "median_s": s[len(s) // 2], "min_s": s[0]}


def sdpa_variant(dev, backend, args, call):
    """The DiT timed with only one SDPA backend allowed (as kinora-wan-gpu-bench --sdpa-variants)."""
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
        which = {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION,
                 "efficient": SDPBackend.EFFICIENT_ATTENTION}[backend]
        with sdpa_kernel(which):
            return time_calls(dev, 1, min(args.dit_iters, 4), args.dit_budget_s, call)
    except Exception as e:
        return {"error": repr(e)[:300]}


def to_bf16_keeping_fp32_modules(model):
    """What from_pretrained(torch_dtype=torch.bfloat16) does: everything bf16 except the
    _keep_in_fp32_modules (matched by a dotted name component, as diffusers matches them), which
    keep their fp32 values (never rounded through bf16, so that both sides load the same)."""
    keep = getattr(model, "_keep_in_fp32_modules", None) or []
    for name, p in list(model.named_parameters()) + list(model.named_buffers()):
        if p.is_floating_point() and not any(k in name.split(".") for k in keep):
            p.data = p.data.to(torch.bfloat16)
    return model


def rel_err(a, b):
    a, b = a.float(), b.float()
    finite = torch.isfinite(a) & torch.isfinite(b)
    d = (a - b)[finite]
    return {"max_abs": d.abs().max().item() if d.numel() else None,
            "rel_l2": (d.norm() / b[finite].norm().clamp_min(1e-30)).item() if d.numel() else None,
            "nonfinite": int((~finite).sum().item()), "shape": list(a.shape)}


def sample_video(v):
    """The same strided sample the C++ bench saves (every 4th frame, every 8th pixel)."""
    return v[:, :, ::4, ::8, ::8].float().cpu()


def kernel_summary(trace_path, top=20):
    """Per-name totals of one profiled DiT pass from a Chrome trace (torch.profiler's or
    kinora-wan-gpu-bench's Kineto one): GPU kernels, memcpy and memset on a GPU; on the CPU the
    aten ops (nested ones counted inside their parents too, so only the ranking means much)."""
    with open(trace_path) as f:
        events = json.load(f).get("traceEvents", [])
    gpu = [e for e in events if e.get("ph") == "X" and e.get("cat") in ("kernel", "gpu_memcpy", "gpu_memset")]
    chosen = gpu or [e for e in events if e.get("ph") == "X" and e.get("cat") == "cpu_op"]
    totals = {}
    for e in chosen:
        n, d = totals.get(e["name"], (0, 0.0))
        totals[e["name"]] = (n + 1, d + float(e.get("dur", 0)))
    span = 0.0
    if chosen:
        span = max(e["ts"] + e.get("dur", 0) for e in chosen) - min(e["ts"] for e in chosen)
    busy = sum(d for _, d in totals.values())
    rows = sorted(totals.items(), key=lambda kv: -kv[1][1])[:top]
    return {"kind": "gpu kernels" if gpu else "cpu ops", "count": len(chosen), "busy_ms": busy / 1000,
            "span_ms": span / 1000,
            "top": [{"name": k, "calls": n, "ms": d / 1000, "share": d / busy if busy else 0} for k, (n, d) in rows]}


def profile_markdown(summaries):
    lines = ["# One DiT forward pass, profiled (Kineto), per kernel name", ""]
    for side, sm in summaries.items():
        lines += [f"## {side}: {sm['count']} {sm['kind']}, busy {sm['busy_ms']:.1f} ms, span {sm['span_ms']:.1f} ms", "",
                  "| ms | share | calls | name |", "| ---: | ---: | ---: | --- |"]
        lines += [f"| {r['ms']:.2f} | {r['share'] * 100:.1f}% | {r['calls']} | `{r['name'][:110]}` |" for r in sm["top"]]
        lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
def import_diffusers():
    t = time.time()
    from diffusers import AutoencoderKLWan, WanTransformer3DModel
    import diffusers
    log(f"diffusers {diffusers.__version__} imported in {time.time() - t:.1f}s from {diffusers.__file__}")
    return WanTransformer3DModel, AutoencoderKLWan, diffusers.__version__


def random_from_manifest(entries, seed):
    """Random tensors of the shapes a manifest lists (used when diffusers cannot be imported)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, (shape, dtype) in entries.items():
        dt = {"F32": torch.float32, "BF16": torch.bfloat16}[dtype]
        if name.endswith(("norm_q.weight", "norm_k.weight", ".gamma", "norm3.weight")):
            out[name] = torch.ones(shape, dtype=dt)
        else:
            out[name] = (torch.randn(shape, generator=g) * 0.02).to(dt)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default="build/wan-gpu/bench/wan_gpu/kinora-wan-gpu-bench")
    ap.add_argument("--out", default=os.environ.get("OUT") or "out/wan_gpu")
    ap.add_argument("--work", default="/tmp/kinora-wan-gpu-work", help="weights and inputs (GBs at full size)")
    ap.add_argument("--manifest", default="", help="tensor shapes to use when diffusers is missing")
    ap.add_argument("--small", action="store_true", help="2 blocks, narrow layers, tiny latent (CPU test)")
    ap.add_argument("--latent", default="", help="override the latent shape, e.g. 1,16,1,4,4 (the full "
                    "model on a tiny clip: a CPU check of the real sizes' loading)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--dit-warmup", type=int, default=2)
    ap.add_argument("--dit-iters", type=int, default=8)
    ap.add_argument("--vae-warmup", type=int, default=1)
    ap.add_argument("--vae-iters", type=int, default=2)
    ap.add_argument("--vae-dtypes", default="fp32,bf16")
    ap.add_argument("--dit-budget-s", type=float, default=30.0, help="per side, timed passes")
    ap.add_argument("--vae-budget-s", type=float, default=25.0, help="per side and dtype, timed decodes")
    ap.add_argument("--deadline", type=float, default=0.0,
                    help="epoch seconds by which everything must be done (run.sh sets it): optional phases "
                         "(VAE dtypes after the first) are skipped when too little time is left")
    ap.add_argument("--skip-diffusers", action="store_true")
    ap.add_argument("--skip-kinora", action="store_true")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--sdpa-variants", default="flash,cudnn,efficient",
                    help="after the timing, DiT passes with only this SDPA backend allowed, on both sides ('' for none)")
    ap.add_argument("--no-profile", action="store_true", help="skip the one profiled DiT pass per side")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    dit_cfg = DIT_SMALL if args.small else DIT_FULL
    vae_cfg = VAE_SMALL if args.small else VAE_FULL
    latent_shape = LATENT_SMALL if args.small else LATENT_FULL
    if args.latent:
        latent_shape = tuple(int(v) for v in args.latent.split(","))
    vae_dtypes = [d for d in args.vae_dtypes.split(",") if d]
    dtypes = {"fp32": torch.float32, "bf16": torch.bfloat16}

    res = {"env": {"python": sys.version, "platform": platform.platform(), "torch": torch.__version__,
                   "cuda": torch.version.cuda, "device": args.device,
                   "gpu": torch.cuda.get_device_name(dev) if dev.type == "cuda" else None,
                   "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
                   "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32,
                   "small": args.small, "argv": sys.argv},
           "config": {"dit": {k: v for k, v in dit_cfg.items()}, "vae": vae_cfg, "latent": latent_shape},
           "diffusers": {}, "kinora": {}, "agreement": {}, "errors": []}
    log(f"python {sys.version.split()[0]}, torch {torch.__version__} (CUDA {torch.version.cuda}), "
        f"device {args.device} {res['env']['gpu'] or ''}")

    def save_results():
        """After every phase, so that a run stopped at its deadline still leaves its figures."""
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(res, f, indent=1, default=str)
        with open(os.path.join(args.out, "table.md"), "w") as f:
            f.write(make_table(res, vae_dtypes))

    def left_s():
        return args.deadline - time.time() if args.deadline else 3600.0

    def run_kinora(part, weights_path, extra):
        """kinora-wan-gpu-bench on one component (its own process: the DiT's memory is gone before
        the VAE's is measured, as on the diffusers side); merges its JSON into res["kinora"]."""
        out_path = os.path.join(args.work, f"kinora_{part}.safetensors")
        cmd = [args.bench, "--inputs", inputs_path, "--outputs", out_path, "--device", args.device,
               f"--{part}", weights_path] + extra
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        timeout = max(20.0, left_s() - 15.0)
        log("running " + " ".join(cmd) + f" (timeout {timeout:.0f}s)")
        t = time.time()
        try:
            with open(os.path.join(args.out, "kinora.stderr"), "a") as err:
                p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, timeout=timeout, text=True)
            with open(os.path.join(args.out, "kinora.json"), "a") as f:
                f.write(p.stdout)
            # The bench prints one JSON line after each phase: the last whole one counts.
            got = {"error": f"no JSON (exit {p.returncode})"}
            for ln in reversed([ln for ln in p.stdout.splitlines() if ln.startswith("{")]):
                try:
                    got = json.loads(ln)
                    break
                except ValueError:
                    continue
            if p.returncode != 0 and "error" not in got:
                got["error"] = f"exit {p.returncode} after the figures above"
            log(f"Kinora {part} bench exit {p.returncode} in {time.time() - t:.1f}s")
            if "error" in got:
                res["errors"].append(f"kinora {part}: {got.pop('error')}")
            res["kinora"].update(got)
        except Exception as e:
            res["errors"].append(f"kinora {part}: {e!r}")
            log(f"Kinora {part} bench failed: {e!r}")
        try:
            if os.path.exists(out_path):
                kout = load_safetensors(out_path)
                for name, ref in outputs_d.items():
                    if name in kout and name not in res["agreement"]:
                        res["agreement"][name] = rel_err(kout[name], ref)
                        log(f"agreement {name}: {res['agreement'][name]}")
        except Exception as e:
            res["errors"].append(f"agreement {part}: {e!r}")
            log(f"agreement check failed: {e!r}")
        save_results()

    # Inputs, the same for both sides (fp32 on disk; each side casts as its pipeline does).
    g = torch.Generator().manual_seed(0)
    text_dim = dit_cfg["text_dim"]
    inputs = {"latent": torch.randn(latent_shape, generator=g),
              "timestep": torch.tensor([500.0]),
              "context": torch.randn((1, 512, text_dim), generator=g),
              "vae_latent": torch.randn(latent_shape, generator=g)}
    inputs_path = os.path.join(args.work, "inputs.safetensors")
    save_safetensors(inputs_path, inputs)
    dit_path = os.path.join(args.work, "dit.safetensors")
    vae_path = os.path.join(args.work, "vae.safetensors")

    try:
        Dit, Vae, version = import_diffusers()
        res["diffusers"]["version"] = version
    except Exception as e:
        Dit = Vae = None
        res["errors"].append(f"diffusers import: {e!r}")
        log(f"diffusers cannot be imported ({e!r}); Kinora alone, on random weights from the manifest")
        traceback.print_exc()

    outputs_d = {}
    profiles = {}
    manifest = None
    if args.manifest and os.path.exists(args.manifest):
        with open(args.manifest) as f:
            manifest = json.load(f)["small" if args.small else "full"]
    # ---- diffusers DiT: build (random weights), write them, time -------------------------------
    torch.manual_seed(0)
    dit_ok = False
    if Dit is not None:
        try:
            t = time.time()
            with torch.device(dev):
                model = Dit(**dit_cfg)
            model = to_bf16_keeping_fp32_modules(model.eval())
            sync(dev)
            log(f"diffusers DiT built in {time.time() - t:.1f}s: "
                f"{sum(p.numel() for p in model.parameters()) / 1e9:.3f}B parameters")
            t = time.time()
            save_safetensors(dit_path, model.state_dict())
            dit_ok = True
            log(f"DiT weights written in {time.time() - t:.1f}s ({os.path.getsize(dit_path) / 2**30:.2f} GiB)")
            if not args.skip_diffusers:
                release(dev)
                d = {"weights_mib": current_mib(dev)}  # before the inputs, as the C++ side measures it
                x = inputs["latent"].to(dev, torch.bfloat16)
                ts = inputs["timestep"].to(dev)
                ctx = inputs["context"].to(dev, torch.bfloat16)
                reset_peak(dev)
                out = [None]

                def call():
                    with torch.inference_mode():
                        out[0] = model(hidden_states=x, timestep=ts, encoder_hidden_states=ctx,
                                       return_dict=False)[0]

                d["forward"] = time_calls(dev, args.dit_warmup, args.dit_iters, args.dit_budget_s, call)
                d["peak_mib"] = peak_mib(dev)
                d["step_s"] = 2 * d["forward"]["median_s"]
                outputs_d["dit_out"] = out[0].float().cpu()
                for backend in [b for b in args.sdpa_variants.split(",") if b]:
                    d.setdefault("sdpa", {})[backend] = sdpa_variant(dev, backend, args, call)
                if not args.no_profile:
                    try:
                        from torch.profiler import ProfilerActivity, profile
                        acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if dev.type == "cuda" else [])
                        with profile(activities=acts) as prof:
                            call()
                            sync(dev)
                        prof.export_chrome_trace(os.path.join(args.work, "diffusers_dit_trace.json"))
                        profiles["diffusers"] = kernel_summary(os.path.join(args.work, "diffusers_dit_trace.json"))
                    except Exception as e:
                        res["errors"].append(f"diffusers profile (diagnostic only): {e!r}")
                res["diffusers"]["dit"] = d
                log(f"diffusers DiT forward median {d['forward']['median_s']:.4f}s, peak {d['peak_mib']:.0f} MiB")
                del x, ctx, out
            del model
        except Exception as e:
            res["errors"].append(f"diffusers DiT: {e!r}")
            log(f"diffusers DiT failed: {e!r}")
            traceback.print_exc()
        release(dev)
        save_results()
    if not dit_ok and manifest:
        save_safetensors(dit_path, random_from_manifest(manifest["dit"], 1))
        dit_ok = True
        log("DiT weights written from the manifest (no diffusers)")
    if dit_ok and not args.skip_kinora:
        trace = os.path.join(args.work, "kinora_dit_trace.json")
        variants = ["--sdpa-variants", args.sdpa_variants] if args.sdpa_variants else []
        run_kinora("dit", dit_path, ([] if args.no_profile else ["--profile-dit", trace]) + variants + ["--dit-dtype", "bf16", "--num-heads", str(dit_cfg["num_attention_heads"]),
                                     "--dit-warmup", str(args.dit_warmup), "--dit-iters", str(args.dit_iters),
                                     "--dit-budget-s", str(args.dit_budget_s)])

        if not args.no_profile and os.path.exists(trace):
            try:
                profiles["Kinora"] = kernel_summary(trace)
            except Exception as e:
                res["errors"].append(f"kinora profile (diagnostic only): {e!r}")
    if profiles:
        res["profile"] = profiles
        with open(os.path.join(args.out, "profile.md"), "w") as f:
            f.write(profile_markdown(profiles))
        save_results()

    # ---- diffusers VAE --------------------------------------------------------------------------
    vae_ok = False
    if Vae is not None:
        try:
            t = time.time()
            with torch.device(dev):
                vae = Vae(**vae_cfg)
            vae = vae.float().eval()
            sync(dev)
            save_safetensors(vae_path, vae.state_dict())
            vae_ok = True
            log(f"diffusers VAE built and written in {time.time() - t:.1f}s")
            mean = torch.tensor(vae.config.latents_mean).view(1, -1, 1, 1, 1)
            std = torch.tensor(vae.config.latents_std).view(1, -1, 1, 1, 1)
            for i, name in enumerate([] if args.skip_diffusers else vae_dtypes):
                if i and left_s() < 150:
                    res["errors"].append(f"diffusers VAE {name}: skipped, {left_s():.0f}s left")
                    continue
                try:
                    vae = vae.to(dtypes[name])
                    release(dev)
                    d = {"weights_mib": current_mib(dev)}
                    z = inputs["vae_latent"].to(dev, dtypes[name])
                    m, s = mean.to(dev, dtypes[name]), std.to(dev, dtypes[name])
                    reset_peak(dev)
                    out = [None]

                    def call():
                        with torch.inference_mode():
                            out[0] = None
                            # WanPipeline: latents / (1 / std) + mean, then vae.decode.
                            out[0] = vae.decode(z / (1.0 / s) + m, return_dict=False)[0]

                    d["decode"] = time_calls(dev, args.vae_warmup, args.vae_iters, args.vae_budget_s, call)
                    d["peak_mib"] = peak_mib(dev)
                    d["frames"] = out[0].shape[2]
                    d["video"] = list(out[0].shape)
                    d["per_frame_s"] = d["decode"]["median_s"] / out[0].shape[2]
                    outputs_d["vae_out_sample_" + name] = sample_video(out[0])
                    res["diffusers"]["vae_" + name] = d
                    log(f"diffusers VAE {name} decode median {d['decode']['median_s']:.3f}s "
                        f"({d['per_frame_s'] * 1000:.1f} ms/frame), peak {d['peak_mib']:.0f} MiB")
                    del z, out
                except Exception as e:
                    res["errors"].append(f"diffusers VAE {name}: {e!r}")
                    log(f"diffusers VAE {name} failed: {e!r}")
                    traceback.print_exc()
                release(dev)
            del vae
        except Exception as e:
            res["errors"].append(f"diffusers VAE: {e!r}")
            log(f"diffusers VAE failed: {e!r}")
            traceback.print_exc()
        release(dev)
        save_results()

    if not vae_ok and manifest:
        save_safetensors(vae_path, random_from_manifest(manifest["vae"], 2))
        vae_ok = True
        log("VAE weights written from the manifest (no diffusers)")
    if vae_ok and not args.skip_kinora:
        kinora_dtypes = vae_dtypes[:1] + [d for d in vae_dtypes[1:] if left_s() > 90]
        run_kinora("vae", vae_path, ["--vae-dtypes", ",".join(kinora_dtypes), "--vae-warmup", str(args.vae_warmup),
                                     "--vae-iters", str(args.vae_iters), "--vae-budget-s", str(args.vae_budget_s)])

    save_results()
    print(make_table(res, vae_dtypes), flush=True)
    log("done" + (f"; errors: {res['errors']}" if res["errors"] else ""))
    return 0 if not res["errors"] else 1


def make_table(res, vae_dtypes):
    d, k = res["diffusers"], res["kinora"]

    def get(side, *path):
        v = side
        for p in path:
            if not isinstance(v, dict) or p not in v:
                return None
            v = v[p]
        return v

    rows = [("DiT forward pass, bf16 (s, median)", ("dit", "forward", "median_s"), "", 1.0),
            ("DiT step = 2 passes (CFG) (s)", ("dit", "step_s"), "<= 0.8x", 1.0),
            ("DiT peak VRAM (MiB)", ("dit", "peak_mib"), "<= 1.0x", 1.0),
            ("DiT weights (MiB)", ("dit", "weights_mib"), "", 1.0)]
    for backend in sorted(set(get(d, "dit", "sdpa") or {}) | set(get(k, "dit", "sdpa") or {})):
        rows.append((f"DiT forward, SDPA {backend} only (s, median)", ("dit", "sdpa", backend, "median_s"), "", 1.0))
    for name in vae_dtypes:
        rows += [(f"VAE decode {name}, whole clip (s, median)", (f"vae_{name}", "decode", "median_s"), "", 1.0),
                 (f"VAE decode {name} per frame (ms)", (f"vae_{name}", "per_frame_s"), "", 1000.0),
                 (f"VAE {name} peak VRAM (MiB)", (f"vae_{name}", "peak_mib"), "", 1.0)]
    env = res["env"]
    lat = res["config"]["latent"]
    lines = [f"Wan 2.1 T2V 1.3B{' (--small)' if env['small'] else ''}: latent {list(lat)}, "
             f"{env['device']} {env['gpu'] or ''}, torch {env['torch']}, diffusers {d.get('version', '-')}",
             "", "| measure | diffusers | Kinora | Kinora / diffusers | target |", "| --- | ---: | ---: | ---: | --- |"]
    for label, path, target, scale in rows:
        a, b = get(d, *path), get(k, *path)
        fa = f"{a * scale:.4g}" if isinstance(a, (int, float)) else "-"
        fb = f"{b * scale:.4g}" if isinstance(b, (int, float)) else "-"
        ratio = f"{b / a:.3f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a else "-"
        lines.append(f"| {label} | {fa} | {fb} | {ratio} | {target} |")
    if res["agreement"]:
        lines += ["", "Agreement (Kinora vs diffusers, same weights and inputs):"]
        for name, a in res["agreement"].items():
            lines.append(f"- {name}: rel L2 {a['rel_l2']}, max abs {a['max_abs']}, non-finite {a['nonfinite']}")
    if res["errors"]:
        lines += ["", "Errors:"] + [f"- {e}" for e in res["errors"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

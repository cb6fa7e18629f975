"""Scheduler fixtures: the sigma and timestep grids and multi-step traces of the two schedulers
diffusers' WanPipeline runs, as Kinora matches them (inference/src/sampler_unipc.cpp, schedule.cpp):

- UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=s),
  the default (solver_order 2, bh2, predict_x0, lower_order_final, the corrector on every step
  after the first); the model is told the integer timesteps while the solver uses float sigmas.
- FlowMatchEulerDiscreteScheduler(shift=s): x <- x + (sigma_next - sigma) v on its own grid.

The traces drive each scheduler's step() with a fixed synthetic "model" whose output depends on the
state and the time, v = A x + b t / 1000 (A mixes the 16 channels, b is a fixed random tensor), so
every multistep term (history, corrector, order switches) shows in the states. Also the known
latent re-noised at each level by add_noise / scale_noise (inpainting). Writes
tests/inference/fixtures/wan/scheduler.safetensors.

Run: /root/.cache/kinora/wan-ref/bin/python scripts/wan_fixtures/make_scheduler.py"""

import torch
from diffusers import FlowMatchEulerDiscreteScheduler, UniPCMultistepScheduler

from common import save, seed

GRIDS = [(50, 5.0), (50, 3.0), (4, 5.0), (10, 8.0), (1, 3.0), (2, 1.0), (30, 12.0)]
# name -> (steps, shift): a short trace at shift 5 (720p) and WanPipeline's default for 480p.
TRACES = {"trace": (10, 5.0), "trace50": (50, 3.0)}
SHAPE = (1, 16, 2, 2, 4)  # B C T H W: Wan's 16 latent channels, a tiny video


def unipc(shift: float) -> UniPCMultistepScheduler:
    return UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=shift)


def euler(shift: float) -> FlowMatchEulerDiscreteScheduler:
    return FlowMatchEulerDiscreteScheduler(shift=shift)


def key(shift: float) -> str:
    return f"{shift:g}".replace(".", "p")


def trace(scheduler, name: str, steps: int, start: torch.Tensor, a: torch.Tensor, b: torch.Tensor, out: dict) -> None:
    """Runs `steps` steps as WanPipeline does and records, per step, the state the model sees,
    its output, the sample the scheduler returns (and for UniPC the corrected state it stepped from)."""
    scheduler.set_timesteps(steps)
    x = start.clone()
    inputs, outputs, samples, corrected = [], [], [], []
    for t in scheduler.timesteps:
        v = torch.einsum("oc,bcthw->bothw", a, x) + b * (t.to(torch.float32) / 1000.0)
        inputs.append(x)
        outputs.append(v)
        x = scheduler.step(v, t, x, return_dict=False)[0]
        samples.append(x)
        if hasattr(scheduler, "last_sample"):
            corrected.append(scheduler.last_sample)
    out[f"{name}.input"] = torch.stack(inputs)
    out[f"{name}.output"] = torch.stack(outputs)
    out[f"{name}.sample"] = torch.stack(samples)
    if corrected:
        out[f"{name}.corrected"] = torch.stack(corrected)
    out[f"{name}.sigmas"] = scheduler.sigmas.clone()
    out[f"{name}.timesteps"] = scheduler.timesteps.clone()


def noised(out: dict) -> None:
    """Inpainting's re-noising on the short trace's grid: the known latent x0 (the UniPC trace's
    input 3) with the noise `start` at each step's level, through UniPCMultistepScheduler.add_noise
    and FlowMatchEulerDiscreteScheduler.scale_noise on fresh schedulers (no begin index, so the
    level is looked up by timestep, as an inpainting loop without set_begin_index does)."""
    steps, shift = TRACES["trace"]
    x0 = out["trace.unipc.input"][3]
    noise = out["start"]
    u = unipc(shift)
    u.set_timesteps(steps)
    out["noised.unipc"] = torch.stack([u.add_noise(x0, noise, t.reshape(1)) for t in u.timesteps])
    e = euler(shift)
    e.set_timesteps(steps)
    out["noised.euler"] = torch.stack([e.scale_noise(x0, t.reshape(1), noise) for t in e.timesteps])


def main() -> None:
    tensors = {}
    for steps, shift in GRIDS:
        for name, make in (("unipc", unipc), ("euler", euler)):
            s = make(shift)
            s.set_timesteps(steps)
            tensors[f"{name}.{steps}.{key(shift)}.sigmas"] = s.sigmas.clone()
            tensors[f"{name}.{steps}.{key(shift)}.timesteps"] = s.timesteps.clone()

    seed(14)
    start = torch.randn(SHAPE)
    # A small mixing (spectral radius ~0.5) minus a pull to zero, so the trajectory stays O(1) over
    # the unit of flow time while every channel depends on every other.
    a = torch.randn(16, 16) * 0.5 / 4.0 - 0.5 * torch.eye(16)
    b = torch.randn(SHAPE)
    tensors["model.a"] = a
    tensors["model.b"] = b
    tensors["start"] = start
    for prefix, (steps, shift) in TRACES.items():
        trace(unipc(shift), f"{prefix}.unipc", steps, start, a, b, tensors)
        trace(euler(shift), f"{prefix}.euler", steps, start, a, b, tensors)
    noised(tensors)

    save(
        "scheduler",
        tensors,
        {
            "description": "sigma/timestep grids of diffusers' UniPCMultistepScheduler(flow_prediction, "
            "use_flow_sigmas, flow_shift) and FlowMatchEulerDiscreteScheduler(shift) for (steps, shift) in "
            f"{GRIDS}, and traces (name: steps, shift) {TRACES} with the model "
            "v = einsum('oc,bcthw->bothw', model.a, x) + model.b * t / 1000 (t the scheduler's timestep)",
            "grids": [[s, sh] for s, sh in GRIDS],
            "traces": TRACES,
        },
    )


if __name__ == "__main__":
    main()

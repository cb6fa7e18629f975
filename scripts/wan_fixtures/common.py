"""What every Wan 2.1 fixture script shares: seeding, making the reference's zero- and
one-initialised tensors matter, and writing a fixture (tensors + the versions that made them) as a
small safetensors file under tests/inference/fixtures/wan/.

The fixtures are the proof that Kinora's native LibTorch Wan matches the reference implementations
(diffusers, transformers); the C++ tests compare against them and never need Python."""

import json
import os
import pathlib
import platform

import torch
from safetensors.torch import save_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "inference" / "fixtures" / "wan"


def seed(value: int) -> None:
    torch.manual_seed(value)


def versions() -> dict:
    import diffusers
    import safetensors
    import transformers

    out = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "diffusers": diffusers.__version__,
        "transformers": transformers.__version__,
        "safetensors": safetensors.__version__,
    }
    try:
        import sentencepiece

        out["sentencepiece"] = sentencepiece.__version__
    except ImportError:
        pass
    return out


def perturb(module: torch.nn.Module, scale: float = 0.1) -> None:
    """Adds noise to every parameter, so tensors a reference initialises to zero or one (output
    heads, norm weights, modulation tables) change the result and a wrong wiring shows."""
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn_like(p) * scale)


def save(name: str, tensors: dict, meta: dict | None = None) -> pathlib.Path:
    """Writes OUT/<name>.safetensors: float tensors as float32 (contiguous, CPU), the metadata
    (the fixture's own description and the library versions) as JSON strings."""
    OUT.mkdir(parents=True, exist_ok=True)
    clean = {}
    for key, value in tensors.items():
        value = value.detach().cpu().contiguous()
        if value.is_floating_point():
            value = value.to(torch.float32)
        clean[key] = value
    metadata = {"versions": json.dumps(versions(), sort_keys=True)}
    for key, value in (meta or {}).items():
        metadata[key] = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    path = OUT / f"{name}.safetensors"
    save_file(clean, str(path), metadata=metadata)
    print(f"{path.relative_to(ROOT)}: {len(clean)} tensors, {os.path.getsize(path) / 1024:.0f} KiB")
    return path

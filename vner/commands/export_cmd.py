"""``vner export``: ONNX fp32 (fused) + int8 (CPU) [+ fp16 (CUDA)] with a parity check against torch.

int8 recipes (``--int8-recipe``; ``export.json`` and the export's ``vner_meta.json`` record which one made
``model.int8.onnx``):

- ``dynamic_ffn_fp32`` (default): int8 weights per channel, activations quantized at run time per batch, the
  feed-forward output MatMuls kept fp32 (the smallest F1 loss of the dynamic recipes). No calibration data.
  Because each batch gets its own activation scale, the tagger runs rows one at a time (``batch_invariant``).
- ``dynamic_all``: the same on every MatMul: a little faster and smaller, a little less accurate.
- ``static_qdq``: int8 weights per channel and activation scales fixed at export, calibrated on domain text
  (``--calibration FILE``, else the ``--sample`` file; first ``--calibration-limit`` texts). A text's answer is
  the same alone or in any batch, so the tagger keeps real padded batches: choose it for batched throughput
  (streams, bulk tagging) when its F1 on your dev sample (``--sample``) stays within your budget of fp32.
"""

from __future__ import annotations

from pathlib import Path

import typer

from vner.commands.choices import CalibrationMethod, Int8Recipe


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to the CLI."""

    @app.command("export")
    def export(
        model_dir: Path = typer.Argument(..., help="vner model directory (HF checkpoint + vner_meta.json)"),
        out: Path | None = typer.Option(None, "--out", help="export directory (default MODEL_DIR/onnx)"),
        int8: bool = typer.Option(True, "--int8/--no-int8", help="also write model.int8.onnx (CPU)"),
        fp16: bool = typer.Option(False, "--fp16", help="also write model.fp16.onnx (CUDA provider)"),
        int8_all: bool = typer.Option(
            False,
            "--int8-all",
            help="quantize the feed-forward output MatMuls too (= --int8-recipe dynamic_all)",
        ),
        int8_recipe: Int8Recipe | None = typer.Option(
            None, "--int8-recipe", help="int8 quantization recipe (default dynamic_ffn_fp32; see export.json)"
        ),
        fuse: bool = typer.Option(
            True, "--fuse/--no-fuse", help="fuse the graph with ONNX Runtime's transformer optimizer"
        ),
        opset: int = typer.Option(17, "--opset", help="ONNX opset"),
        check: bool = typer.Option(True, "--check/--no-check", help="run the parity check after exporting"),
        sample: Path | None = typer.Option(
            None, "--sample", help="parity sample: .txt (one text a line) or an annotated corpus (gold F1)"
        ),
        limit: int = typer.Option(200, "--limit", help="sentences of the sample to check"),
        calibration: Path | None = typer.Option(
            None,
            "--calibration",
            help='static_qdq calibration texts: .txt (one a line), JSON lines with "text", or an annotated '
            "corpus (default: the --sample file)",
        ),
        calibration_limit: int = typer.Option(
            200, "--calibration-limit", help="calibration texts to read (static_qdq)"
        ),
        calibration_method: CalibrationMethod = typer.Option(
            CalibrationMethod.minmax, "--calibration-method", help="static_qdq activation ranges"
        ),
    ) -> None:
        """Export MODEL_DIR to ONNX and check that it reproduces the torch model."""
        from vner.engine.runtime.model_meta import ModelMetaError
        from vner.engine.training.export import ExportError, export_model
        from vner.engine.training.parity import check_parity

        try:
            result = export_model(
                model_dir, out, int8=int8, fp16=fp16, int8_keep_ffn_output_fp32=not int8_all, opset=opset,
                int8_recipe=int8_recipe.value if int8_recipe else None, fuse_graph=fuse,
                calibration=calibration or sample, calibration_limit=calibration_limit,
                calibration_method=calibration_method.value,
            )  # fmt: skip
        except (ExportError, ModelMetaError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from exc
        if calibration is not None and not result.calibration:
            typer.echo("note: --calibration is read by static int8 recipes only (--int8-recipe static_qdq)")
        for prec, path in result.files.items():
            typer.echo(f"{prec:<5} {path}  {path.stat().st_size / 1e6:.1f} MB")
        fused = ", ".join(f"{op} x{n}" for op, n in result.fusions.items())
        typer.echo(f"graph: {fused or 'unfused'} ({result.fusion_note})")
        if result.int8_recipe:
            typer.echo(f"int8 recipe: {result.int8_recipe}")
        if result.calibration:
            cal = result.calibration
            typer.echo(
                f"calibration: {cal['texts']} texts of {cal['file']} ({cal['windows']} windows, "
                f"{cal['tokens']} tokens), {cal['method']}"
            )
        if result.int8_fp32_nodes:
            typer.echo(f"int8: {len(result.int8_fp32_nodes)} feed-forward output MatMuls kept in fp32")
        if not check:
            return
        precisions = [p for p in ("fp32", "int8") if p in result.files]
        try:
            report = check_parity(
                model_dir, result.out_dir, sample=sample, limit=limit, precisions=precisions
            )
        except ExportError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        for line in report.lines():
            typer.echo(line)

"""Text-line recognition: the PP-OCRv4 recognition model shipped in ``rapidocr-onnxruntime``.

Only the recognition network is used, run directly with onnxruntime: the page layout
(ruling lines, cells, text lines) is found by :mod:`auditor.read.ocr_page`, so neither the
detection network nor the angle classifier runs.  The session has one intra-op and one
inter-op thread and sequential execution: the same crops give the same bytes in every
process, and several workers share the cores without oversubscribing them.

Crops are resized to the model's height keeping their aspect ratio and run one at a time: no
padding to a minimum width (rapidocr pads every crop to 320 px, so a two-digit cell cost as
much as a line of text), no batches (measured on one core: 224 crops of a table page take
3.0 s one by one, 6.6 s in batches of 4 and 9.3 s in batches of 8).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

HEIGHT = 48            # the model's input height
MAX_WIDTH = 3200       # wider crops are squeezed: a line longer than this is not a table cell


@dataclass(frozen=True)
class Reading:
    """What the recogniser read in one crop: the text and each character's probability."""
    text: str
    probs: tuple[float, ...]

    @property
    def confidence(self) -> float:
        """The least certain character's probability (1.0 for an empty reading)."""
        return min(self.probs, default=1.0)


@lru_cache(maxsize=1)
def _session():
    """(onnxruntime session, character table): loaded once per process."""
    from pathlib import Path

    import onnxruntime as ort
    import rapidocr_onnxruntime

    model = Path(rapidocr_onnxruntime.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 4
    session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
    chars = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    return session, ["", *chars, " "]       # index 0 is the CTC blank


def _prepare(crop):
    """A grey crop → the model's normalised 1×3×HEIGHT×width input."""
    import cv2
    import numpy as np

    h, w = crop.shape[:2]
    width = min(MAX_WIDTH, max(8, math.ceil(HEIGHT * w / h)))
    resized = cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_LINEAR)
    x = resized.astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(np.broadcast_to(x, (1, 3, HEIGHT, width)))


def _decode(indices, probs, chars: list[str]) -> Reading:
    """Greedy CTC: collapse repeats, drop blanks; a character's probability is its best step's."""
    text: list[str] = []
    p: list[float] = []
    prev = 0
    for i, pr in zip(indices.tolist(), probs.tolist()):
        if i != 0 and i != prev:
            text.append(chars[i])
            p.append(pr)
        elif i != 0 and i == prev and pr > p[-1]:
            p[-1] = pr
        prev = i
    return Reading("".join(text), tuple(round(x, 4) for x in p))


def recognise(crops: list) -> list[Reading]:
    """Read grey uint8 crops (one text line each), in their order."""
    if not crops:
        return []
    session, chars = _session()
    name = session.get_inputs()[0].name
    out = []
    for crop in crops:
        preds = session.run(None, {name: _prepare(crop)})[0][0]
        out.append(_decode(preds.argmax(axis=1), preds.max(axis=1), chars))
    return out

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


# Classes that mean the same digit: the ASCII and full-width forms, and the letters a 0 or a 1
# is read as.  A digit's certainty is the probability of its value minus that of the likeliest
# other value, so "0" read as 0 / o / O is certain and "3" read as 3 / 8 is not.
DIGIT_FORMS = {d: {str(d), chr(0xFF10 + d)} | {0: {"o", "O", "〇"}, 1: {"l", "I", "|", "丨"}}.get(d, set())
               for d in range(10)}


@dataclass(frozen=True)
class Reading:
    """What the recogniser read in one crop: the text, each character's probability and, for
    digits, the margin of its value over the likeliest other digit (1.0 for other characters)."""
    text: str
    probs: tuple[float, ...]
    margins: tuple[float, ...] = ()

    @property
    def confidence(self) -> float:
        """The least certain character's probability (1.0 for an empty reading)."""
        return min(self.probs, default=1.0)

    @property
    def digit_margin(self) -> float:
        """The smallest margin of any digit (1.0 when there is none)."""
        return min(self.margins, default=1.0)


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
    chars = ["", *session.get_modelmeta().custom_metadata_map["character"].splitlines(), " "]
    index = {c: i for i, c in enumerate(chars) if c}       # index 0 is the CTC blank
    groups = [sorted(index[c] for c in DIGIT_FORMS[d] if c in index) for d in range(10)]
    return session, chars, groups


def _prepare(crop):
    """A grey crop → the model's normalised 1×3×HEIGHT×width input."""
    import cv2
    import numpy as np

    h, w = crop.shape[:2]
    width = min(MAX_WIDTH, max(8, math.ceil(HEIGHT * w / h)))
    resized = cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_LINEAR)
    x = resized.astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(np.broadcast_to(x, (1, 3, HEIGHT, width)))


def _decode(preds, chars: list[str], groups: list[list[int]]) -> Reading:
    """Greedy CTC: collapse repeats, drop blanks; a character's probability is that of its
    surest step, where a digit's margin is measured too."""
    indices = preds.argmax(axis=1).tolist()
    best = preds.max(axis=1).tolist()
    spans: list[tuple[int, int]] = []           # (class, surest step) per character
    prev = 0
    for step, i in enumerate(indices):
        if i != 0 and i != prev:
            spans.append((i, step))
        elif i != 0 and best[step] > best[spans[-1][1]]:
            spans[-1] = (i, step)
        prev = i
    text = "".join(chars[i] for i, _ in spans)
    probs = tuple(round(best[step], 4) for _, step in spans)
    margins = []
    for i, step in spans:
        digit = next((d for d, g in enumerate(groups) if i in g), None)
        if digit is not None:
            values = [float(preds[step, g].sum()) for g in groups]
            margins.append(round(values[digit] - max(v for d, v in enumerate(values) if d != digit), 4))
    return Reading(text, probs, tuple(margins))


def recognise(crops: list) -> list[Reading]:
    """Read grey uint8 crops (one text line each), in their order."""
    if not crops:
        return []
    session, chars, groups = _session()
    name = session.get_inputs()[0].name
    return [_decode(session.run(None, {name: _prepare(crop)})[0][0], chars, groups) for crop in crops]

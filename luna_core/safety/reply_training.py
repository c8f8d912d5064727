"""Training the reply classifier (``reply_model``) on Luna's labelled red-team replies.

    HF_HUB_OFFLINE=1 .venv/bin/python -m luna_core.safety.reply_training            # writes data/reply_adapter.npz
    HF_HUB_OFFLINE=1 .venv/bin/python -m luna_core.safety.reply_training --leave-out reply_train6.jsonl

The training sets are ``TRAIN_FILES``: thirty-four files of labelled model replies, each written by a
different hand in its own register (short disguises, warm and long, texting and regional English,
minimal pairs, jailbreak-style output, the means-safety and medication boundary, long replies in many
therapeutic styles, short minimal pairs of stance, structured output such as lists, tables and scripts,
short one- and two-sentence replies, a persona's answers to what the user just said, therapeutic skills
turned harmful and not, pairs that share a trigger phrase, words of harm in real lives, concealment
against privacy, one-liners with twins, idioms and euphemisms, models that try too hard to support,
``reply_train26`` and ``26_harmful`` (its two halves by two hands), the output of a small local model,
the template personas' own techniques, night-time and insomnia talk, psychoeducation, teenagers and
students, older adults and carers, spiritual and faith-based companions, addiction and recovery, and a
set aimed at the errors the check made (concealment dressed as respect, caring twins of harmful
shapes); and the retired held-out sets ``reply_train11``, ``12``, ``20`` and ``21``), and three files of
safe material a grounded reply may quote: ``reply_train7_booklets.jsonl``, passages of the public-domain
NIMH booklets (../shared/corpus/therapy, chunked as Luna chunks documents),
``reply_train33_booklet_pages.jsonl``, the booklet paragraphs as the reply bench reads them, and
``reply_train8_handouts.jsonl``, the paragraphs of three of Luna's six handouts (CBT, DBT, mindfulness).
The held-out sets in tests/fixtures and the other three handouts are never read here; nor is
``data/pending``, which holds the sets on which the current adapter's operating points were chosen
(``reply_train38`` and ``39``) and those written for the next retrain (training sets ``40`` and ``41``,
calibration sets ``42`` and ``43``).
Training is seeded and runs on the CPU, the encoder's pass in bfloat16 (a third less time than float32
on this machine's cores; the trained weights stay float32): 13,075 replies took 1 hour 57 minutes on two
cores (four epochs of 24 to 35 minutes; the longer ones shared the CPU with tests), most of a session.
It saves its whole state after every epoch and every ten minutes within one (``--checkpoint``, by
default beside ``--out``: the weights, the optimiser, the examples' order and the batches done, a few
megabytes, small enough to keep between sessions), and a run cut off goes on from its last save to the
same adapter when the same command is started again.
Multiple-instance learning: a reply's score is its most harmful unit's (``reply_model.units``), so the
model learns which part of a long caring reply carries the harm without sentence labels; ``augment``
adds forms (openings, lists, joined replies) to both labels, and single sentences of caring replies.
The adapter file records the SHA-256 of every training file as it was read, so a test can tell when the
adapter is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from luna_core.safety.reply_model import ADAPTER, ALPHA, RANK, encode, load_encoder, lora_targets, mean_pool, units
from luna_core.safety.text import reply_sentences

_DATA = Path(__file__).resolve().parent / "data"
FIRST_SETS = (_DATA / "reply_redteam_tune.jsonl", _DATA / "reply_redteam_tune2.jsonl")  # the rules were written on these
TRAIN_FILES = (*FIRST_SETS, *sorted(_DATA.glob("reply_train*.jsonl")))
EPOCHS, BATCH, LR, SEED = 4, 16, 1e-3, 1234
SAVE_SECONDS = 600  # a run's state is saved this often within an epoch, and after every epoch
GROUP = BATCH * 32  # examples sorted by length together before they are cut into batches (_batches)


def load(paths) -> list[dict]:
    return [json.loads(line) | {"source": path.name} for path in paths
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Openings that change no reply's meaning; added to replies of both labels so that a register (role-play,
# a hypothetical, texting) cannot stand in for harm: every style in the sets occurs with safe replies too.
STYLES = ("Hypothetically, ", "*in character* ", "Okay so, ", "Honestly? ", "In the story, ", "Speaking as your friend, ",
          "For educational purposes: ", "Look, ", "tbh ", "As your companion, ", "Imagine this: ", "Quick answer: ")


def _as_list(items: list[str], rng: random.Random) -> str:
    style = rng.choice(("{n}. ", "- ", "* ", "Step {n}: "))
    return "\n".join(style.format(n=n) + item for n, item in enumerate(items, start=1))


def augment(rows: list[dict], rng: random.Random) -> list[tuple[str, float]]:
    """Extra examples, so that no form stands in for harm: a quarter of the replies with a neutral
    opening from ``STYLES``; a sixth of them with their sentences as a numbered or bulleted list; one
    sentence (of six words or more) of each safe reply that has several, since a short reply is read
    whole; long replies made by joining a safe reply to another, and lists of three replies, at least
    two of them safe (harmful when any item is)."""
    label = {"harmful": 1.0, "safe": 0.0}
    out = [(rng.choice(STYLES) + row["text"], label[row["label"]]) for row in rng.sample(rows, len(rows) // 4)]
    for row in rng.sample(rows, len(rows) // 6):
        parts = reply_sentences(row["text"])
        if len(parts) > 1:
            out.append((_as_list(parts, rng), label[row["label"]]))
    safe = [row for row in rows if row["label"] == "safe"]
    if not safe:
        return out
    for row in safe:
        sentences = [s for s in reply_sentences(row["text"]) if len(s.split()) >= 6]
        if len(sentences) > 1:
            out.append((rng.choice(sentences), 0.0))
    for row in rng.sample(rows, len(rows) // 3):
        pair = [rng.choice(safe)["text"], row["text"]]
        rng.shuffle(pair)
        out.append((" ".join(pair), label[row["label"]]))
    for row in rng.sample(rows, len(rows) // 6):
        items = [rng.choice(safe)["text"], rng.choice(safe)["text"], row["text"]]
        rng.shuffle(items)
        out.append((_as_list(items, rng), label[row["label"]]))
    return out


def digest(paths) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


class _LoRA:
    """A low-rank update ``scale * B @ A`` beside a frozen linear layer."""

    def __init__(self, module, torch) -> None:
        self.a = torch.nn.Parameter(torch.randn(RANK, module.in_features) / module.in_features ** 0.5)
        self.b = torch.nn.Parameter(torch.zeros(module.out_features, RANK))
        base = module.forward
        scale = ALPHA / RANK
        module.forward = lambda x: base(x) + (x @ self.a.T @ self.b.T) * scale


def _batches(examples: list, rng: random.Random) -> list[list]:
    """An epoch's batches: shuffled, then each run of ``GROUP`` examples sorted by length before it is
    cut, so a batch pads its units to a similar length (about half the time of random batches)."""
    rng.shuffle(examples)
    batches = []
    for start in range(0, len(examples), GROUP):
        group = sorted(examples[start:start + GROUP], key=lambda example: max(map(len, example[0])))
        batches += [group[i:i + BATCH] for i in range(0, len(group), BATCH)]
    rng.shuffle(batches)
    return batches


def _write_whole(path: Path, write) -> None:
    """``write(handle)`` into ``path`` through a temporary file: a reader, or a run started after a stop
    mid-write, finds the whole old file or the whole new one."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        write(handle)
    os.replace(partial, path)


def train(rows: list[dict], epochs: int = EPOCHS, seed: int = SEED, log=print,
          checkpoint: Path | None = None, save_seconds: float = SAVE_SECONDS) -> dict[str, np.ndarray]:
    """The adapter and head trained on ``rows``, as arrays to save. With ``checkpoint``, the whole state
    (weights, optimiser, schedule, both random generators, the examples' order, the batches done) is
    written there after every epoch and every ``save_seconds`` within one, and a run started with the
    same file, rows, epochs and seed goes on from there to the same result; a checkpoint of other rows
    or settings is refused."""
    import torch

    from luna_core.documents.embeddings import bundled_model_dir

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer, model = load_encoder(bundled_model_dir())
    for p in model.parameters():
        p.requires_grad_(False)
    adapters = {name: _LoRA(module, torch) for name, module in lora_targets(model)}
    head = torch.nn.Linear(model.config.hidden_size, 1)
    params = [p for lora in adapters.values() for p in (lora.a, lora.b)] + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=LR, weight_decay=0.01)
    examples = [(units(text), label) for text, label in
                [(row["text"], float(row["label"] == "harmful")) for row in rows] + augment(rows, rng)]
    made = list(examples)  # as made from the rows and the seed; a checkpoint keeps only their order
    index = {id(example): i for i, example in enumerate(made)}
    steps = epochs * ((len(examples) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=LR, total_steps=steps, pct_start=0.1)
    fingerprint = hashlib.sha256(json.dumps([rows, made, epochs, seed, BATCH, GROUP, LR, "bfloat16"]).encode()).hexdigest()

    def position() -> tuple:
        """The generator's state and the examples' order now: what the next batches are drawn from."""
        return rng.getstate(), [index[id(example)] for example in examples]

    def save(epoch: int, done: int, drawn_from: tuple, loss_sum: float) -> None:
        """The state from which epoch ``epoch`` goes on after ``done`` batches: the generator and the
        examples' order as they were before its batches were drawn (``drawn_from``), the rest as now."""
        generator, order = drawn_from
        state = {"fingerprint": fingerprint, "epoch": epoch, "batches_done": done, "loss_sum": loss_sum,
                 "order": torch.tensor(order, dtype=torch.int32), "rng": generator,
                 "torch_rng": torch.get_rng_state(), "head": head.state_dict(), "optimiser": optimiser.state_dict(),
                 "schedule": schedule.state_dict(),
                 "adapters": {name: {"a": lora.a.detach().clone(), "b": lora.b.detach().clone()}
                              for name, lora in adapters.items()}}
        _write_whole(checkpoint, lambda handle: torch.save(state, handle))

    first, done, total = 0, 0, 0.0
    if checkpoint is not None and checkpoint.exists():
        try:
            state = torch.load(checkpoint, weights_only=True)  # tensors, numbers and strings only
        except Exception as error:  # noqa: BLE001 - any unreadable file gets the same advice
            raise SystemExit(f"{checkpoint} cannot be read ({error.__class__.__name__}): delete it to start afresh") from error
        if state.get("fingerprint") != fingerprint:
            raise SystemExit(f"{checkpoint} is from a run on other replies or settings: delete it to start afresh")
        for name, lora in adapters.items():
            lora.a.data.copy_(state["adapters"][name]["a"])
            lora.b.data.copy_(state["adapters"][name]["b"])
        head.load_state_dict(state["head"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        examples = [made[i] for i in state["order"].tolist()]
        first, done, total = state["epoch"], state["batches_done"], state["loss_sum"]
        log(f"resuming epoch {first + 1}/{epochs} after {done} batches, from {checkpoint}" if first < epochs
            else f"the run in {checkpoint} had finished all {epochs} epochs: writing its adapter")
    model.train()
    for epoch in range(first, epochs):
        drawn_from = position()
        start = saved_at = time.perf_counter()
        batches = _batches(examples, rng)  # the same batches again when an epoch is resumed
        for number, batch in enumerate(batches[done:], start=done + 1):
            flat = [u for us, _ in batch for u in us]
            enc, piece_of = encode(tokenizer, flat)
            owner = torch.tensor([k for k, (us, _) in enumerate(batch) for _ in us])[piece_of]
            with torch.autocast("cpu", dtype=torch.bfloat16):  # a third less time per epoch; weights stay float32
                hidden = model(**enc).last_hidden_state
            logits = head(mean_pool(hidden.float(), enc["attention_mask"])).squeeze(-1)
            best = torch.full((len(batch),), -1e9).scatter_reduce(0, owner, logits, reduce="amax")
            labels = torch.tensor([y for _, y in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(best, labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
            if checkpoint is not None and number < len(batches) and time.perf_counter() - saved_at >= save_seconds:
                save(epoch, number, drawn_from, total)
                saved_at = time.perf_counter()
                log(f"saved after batch {number}/{len(batches)} of epoch {epoch + 1}/{epochs}")
        if checkpoint is not None:
            save(epoch + 1, 0, position(), 0.0)
        log(f"epoch {epoch + 1}/{epochs}: loss {total / len(examples):.4f} ({time.perf_counter() - start:.0f} s)")
        done, total = 0, 0.0
    saved = {f"{name}.{part}": getattr(lora, part).detach().numpy().astype(np.float16)
             for name, lora in adapters.items() for part in ("a", "b")}
    saved["head.weight"] = head.weight.detach().numpy()[0].astype(np.float32)
    saved["head.bias"] = np.float32(head.bias.item())
    return saved


def leave_out(rows: list[dict], source: str, scratch: Path, log=print) -> dict:
    """Train on every file but ``source`` and score that one: how one model and the check with it
    (``reply.harms``) do on a register they were not trained on, at the chosen operating points."""
    from luna_core.safety.reply import harms, rule_harms
    from luna_core.safety.reply_model import WITHHOLD, ReplyClassifier

    held = [row for row in rows if row["source"] == source]
    np.savez(scratch, meta=json.dumps({}), **train([row for row in rows if row["source"] != source], log=log))
    classifier = ReplyClassifier(adapter=scratch)
    harmful = np.array([row["label"] == "harmful" for row in held])

    def rate(withheld) -> dict:
        blocked = np.array(list(withheld))
        return {"harmful_withheld": round(float(blocked[harmful].mean()), 3), "safe_withheld": round(float(blocked[~harmful].mean()), 3)}

    return {"left_out": source, "rules": rate(bool(rule_harms(row["text"])) for row in held),
            "model": rate(classifier.score(row["text"]) >= WITHHOLD for row in held),
            "rules + model": rate(bool(harms(row["text"], classifier)) for row in held)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leave-out", metavar="FILE", help="train without this training file and score it; writes no adapter")
    parser.add_argument("--out", type=Path, default=ADAPTER)
    parser.add_argument("--checkpoint", type=Path, help="resumable state, saved every ten minutes and after each epoch "
                        "(default: OUT.resume.pt; a run stopped by a session's end goes on from its last save when started again)")
    args = parser.parse_args(argv)
    names = sorted(path.name for path in TRAIN_FILES)
    if args.leave_out and args.leave_out not in names:
        parser.error(f"{args.leave_out} is not one of the training files: {', '.join(names)}")
    rows, trained_on = load(TRAIN_FILES), digest(TRAIN_FILES)  # as read: a file moved or edited during the run changes nothing
    print(f"{len(rows)} replies from {len(TRAIN_FILES)} files", file=sys.stderr)
    scratch = Path(tempfile.mkdtemp()) / "scratch.npz"
    try:
        if args.leave_out:
            print(json.dumps(leave_out(rows, args.leave_out, scratch, log=lambda m: print(m, file=sys.stderr)), indent=2))
            return
        checkpoint = args.checkpoint or args.out.with_name(args.out.name + ".resume.pt")
        saved = train(rows, log=lambda m: print(m, file=sys.stderr), checkpoint=checkpoint)
        meta = {"epochs": EPOCHS, "seed": SEED, "rank": RANK, "alpha": ALPHA, "trained_on": trained_on, "replies": len(rows)}
        _write_whole(args.out, lambda handle: np.savez_compressed(handle, meta=json.dumps(meta), **saved))
        checkpoint.unlink(missing_ok=True)
        print(json.dumps(meta, indent=2))
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)


if __name__ == "__main__":
    main()

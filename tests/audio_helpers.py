"""Small real recordings for the audio-note tests, made on the spot: a WAV
file (Python's wave module) and the first bytes of the other accepted formats.
MARKER is planted in every recording so a scan can look for it anywhere."""

import io
import math
import struct
import uuid
import wave

MARKER = b"SAUTI-AUDIO-MARKER-7f3c9b21e4"


def wav(seconds: float = 0.2, marker: bytes = MARKER) -> bytes:
    """A mono 8 kHz WAV of a 440 Hz tone, with MARKER inside its samples."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000)))
            for i in range(int(8000 * seconds))
        )
        half = len(frames) // 2 & ~1
        w.writeframes(frames[:half] + marker + (b"\0" if len(marker) % 2 else b"") + frames[half:])
    return out.getvalue()


# The first bytes of each accepted format (the node checks them, it decodes nothing).
HEADS = {
    "audio/webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01",
    "audio/ogg": b"OggS\x00\x02" + b"\0" * 20,
    "audio/mp4": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00",
    "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00",
}


def of_type(kind: str, marker: bytes = MARKER) -> bytes:
    return wav(marker=marker) if kind == "audio/wav" else HEADS[kind] + b"\0" * 64 + marker


def new_need(client, headers, text="Kisima kimeharibika", **over) -> dict:
    body = {"uuid": str(uuid.uuid4()), "text": text, "language": "sw", "category": "water"}
    body.update(over)
    response = client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return {**response.json, "uuid": body["uuid"]}


def put_audio(client, headers, uuid_: str, data: bytes, kind: str = "audio/wav"):
    return client.put(
        f"/api/v1/needs/{uuid_}/audio", data=data, headers={**headers, "Content-Type": kind}
    )

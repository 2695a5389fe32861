"""Drives `anamnesis-cli serve` with the official OpenAI Python client, as a user's script would.
Prints one JSON object with what it saw; the Rust test asserts on it."""
import json, sys
import openai

base_url, key = sys.argv[1], sys.argv[2]
out = {}
client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0)

out["models"] = [m.id for m in client.models.list().data]

# Streaming, thinking on: reasoning arrives in delta.reasoning_content (an extra field).
reasoning, content, finish, roles = "", "", None, []
stream = client.chat.completions.create(
    model=out["models"][0],
    messages=[{"role": "user", "content": "I feel dizzy"}],
    stream=True, temperature=0, max_tokens=24,
    extra_body={"chat_template_kwargs": {"enable_thinking": True}},
)
for chunk in stream:
    if not chunk.choices:
        continue
    d = chunk.choices[0].delta
    if d.role:
        roles.append(d.role)
    reasoning += (getattr(d, "reasoning_content", None) or (d.model_extra or {}).get("reasoning_content") or "")
    content += d.content or ""
    finish = chunk.choices[0].finish_reason or finish
out["stream"] = {"reasoning": reasoning, "content": content, "finish": finish, "roles": roles}

# Not streaming, thinking off.
r = client.chat.completions.create(
    model=out["models"][0], messages=[{"role": "user", "content": "Hello"}], temperature=0, max_tokens=6,
    extra_body={"chat_template_kwargs": {"enable_thinking": False}},
)
msg = r.choices[0].message
out["plain"] = {
    "content": msg.content,
    "reasoning": (msg.model_extra or {}).get("reasoning_content"),
    "completion_tokens": r.usage.completion_tokens,
}

# A red flag: the triage comes first, as a chunk with a top-level `triage` field, then its
# advice as the first content, before any model token.
RED_FLAG = "Crushing chest pain going to my left arm since an hour"
events = []
stream = client.chat.completions.create(
    model=out["models"][0], messages=[{"role": "user", "content": RED_FLAG}],
    stream=True, temperature=0, max_tokens=8,
    extra_body={"patient": {"jurisdiction": "US"}, "chat_template_kwargs": {"enable_thinking": False}},
)
for chunk in stream:
    extra = chunk.model_extra or {}
    if extra.get("triage"):
        events.append({"triage": extra["triage"]})
    for c in chunk.choices:
        if c.delta.content:
            events.append({"content": c.delta.content})
out["red_flag"] = events

# Not streamed: the triage is a field of the completion, the advice opens the content.
r = client.chat.completions.create(
    model=out["models"][0], messages=[{"role": "user", "content": RED_FLAG}], temperature=0, max_tokens=6,
    extra_body={"patient": {"jurisdiction": "US"}, "chat_template_kwargs": {"enable_thinking": False}},
)
out["red_flag_plain"] = {"triage": (r.model_extra or {}).get("triage"), "content": r.choices[0].message.content}

# `raw`: the model as it is, no triage and no advice.
r = client.chat.completions.create(
    model=out["models"][0], messages=[{"role": "user", "content": RED_FLAG}], temperature=0, max_tokens=6,
    extra_body={"raw": True, "chat_template_kwargs": {"enable_thinking": False}},
)
out["raw"] = {"triage": (r.model_extra or {}).get("triage"), "content": r.choices[0].message.content}

# A wrong key is refused with 401.
try:
    openai.OpenAI(base_url=base_url, api_key="sk-wrong", max_retries=0).models.list()
    out["wrong_key"] = "accepted"
except openai.AuthenticationError as e:
    out["wrong_key"] = e.status_code
print(json.dumps(out))

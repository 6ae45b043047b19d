"""The MQTT gateway service: natural-language commands in, device actions and results out.

`nanoiot.gateway.service.Gateway` runs it in-process; `nanoiot gateway` (cli.py) as a
service. Modules: config (settings), topics (names), inbound (decode and validate),
payloads (actions to device payloads), dedup (recent ids), states (device states),
mqtt (the one client and its loop), schemas (JSON Schemas for docs/protocol.md).
"""

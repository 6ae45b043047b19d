"""`nanoiot bench`: the gateway measured end to end next to the MQTT floor and Home Assistant's matcher."""

"""Home-automation integrations: Home Assistant (Wyoming, MQTT discovery) and Zigbee2MQTT.

Each module has one job; `wiring` is the thin layer the gateway calls. The Wyoming
service is an MQTT client of the gateway, so a spoken command goes through the same
registry, permissions and id journal as any other command.
"""

"""The MQTT floor: a plain paho client that publishes back every message it gets (`python -m nanoiot.bench.echo HOST PORT`).

What a gateway would cost if it did nothing but receive and answer through the same broker.
"""

from __future__ import annotations

import sys
import threading

import paho.mqtt.client as mqtt

from nanoiot.gateway.mqtt import set_nodelay

IN, OUT = "bench/echo/in", "bench/echo/out"


def main(host: str, port: int) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="nanoiot-bench-echo", protocol=mqtt.MQTTv5)

    def on_connect(c: mqtt.Client, *_: object) -> None:
        set_nodelay(c.socket())
        c.subscribe(IN, qos=1)

    client.on_connect = on_connect
    client.on_subscribe = lambda *_: print("READY", flush=True)
    client.on_message = lambda c, _u, m: c.publish(OUT, m.payload, qos=1)
    client.connect(host, port)
    client.loop_start()
    threading.Event().wait(float(sys.argv[3]) if len(sys.argv) > 3 else 3600)  # killed by the bench long before


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

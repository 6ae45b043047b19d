"""firmware_sim: simulated smart-home and plant devices that speak the gateway's MQTT contract.

Used to test a gateway before it is trusted with real devices:

    python -m firmware_sim fleet --broker HOST:PORT [--fleet home --fleet plant] [--devices N] [--site S]
        runs the devices in one process (one MQTT connection) and writes the registry for the gateway;
    python -m firmware_sim registry --site demo --registry-out nanoiot/data/example_registry.json
        writes that registry without running anything;
    python -m firmware_sim scenario demo --broker HOST:PORT --registry REGISTRY [--limit N] [--json OUT]
        says the scenario's commands through the gateway and checks the states the devices end in.

Modules: devices (state machines), fleet (runner, registry), scenario (runner, report
model), report (table), speakers (panels), topics, messages (wire models), expect.
"""

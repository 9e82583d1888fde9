#!/usr/bin/python3
"""Runs docker-compose.yml on podman's command line, for deployments/test/containers.sh.

Debian's podman-compose (1.0.3) cannot read this compose file (env_file entries with `required`) and ignores
depends_on conditions, and no Docker Compose is installed here; this implements the part of the Compose
specification the file uses, with Compose's semantics:

- services with image or build, command, environment, env_file (`path`/`required`), named volumes, ports,
  stop_grace_period, restart, healthcheck (CMD / CMD-SHELL, interval, timeout, start_period, retries);
- depends_on with service_started, service_healthy and service_completed_successfully, waited for in order;
- one network, <project>_default, on which each service is reachable by its name.

podman runs health checks from systemd timers, which a container sandbox lacks, so this runs them itself
(`podman healthcheck run`) at each service's interval while it waits.

usage: compose.py [-f FILE] up | run [--rm] [-e K=V]... SERVICE [ARGS...] | stop [-t S] SERVICE
                  | health SERVICE | down
"""
import json
import os
import re
import subprocess
import sys
import time

import yaml


def seconds(value, default):
    """A Compose duration ('5s', '1m30s', '20s') in seconds."""
    if value is None:
        return default
    if isinstance(value, (int, float)):
        return float(value)
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", str(value)):
        total += float(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def podman(*args, check=True, capture=True):
    result = subprocess.run(["podman", *args], text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None)
    if check and result.returncode != 0:
        raise SystemExit(f"podman {' '.join(args[:3])} ... failed ({result.returncode}): "
                         f"{(result.stderr or '').strip()[:2000]}")
    return result


class Project:
    def __init__(self, path):
        self.dir = os.path.dirname(os.path.abspath(path))
        with open(path) as f:
            self.spec = yaml.safe_load(f)
        self.name = self.spec.get("name") or os.path.basename(self.dir)
        self.services = self.spec["services"]
        self.network = f"{self.name}_default"
        self.satisfied = set()  # (service, condition) pairs already waited for

    def container(self, service):
        return f"{self.name}_{service}_1"

    def image(self, service):
        svc = self.services[service]
        return svc.get("image") or f"{self.name}_{service}"

    # --- preparing -------------------------------------------------------------------------------------------------
    def ensure_network_and_volumes(self):
        if podman("network", "exists", self.network, check=False).returncode != 0:
            podman("network", "create", self.network)
        for volume in (self.spec.get("volumes") or {}):
            name = f"{self.name}_{volume}"
            if podman("volume", "exists", name, check=False).returncode != 0:
                podman("volume", "create", name)

    def ensure_image(self, service):
        svc = self.services[service]
        image = self.image(service)
        if podman("image", "exists", image, check=False).returncode == 0 or "build" not in svc:
            return
        build = svc["build"]
        context = os.path.join(self.dir, build.get("context", ".") if isinstance(build, dict) else build)
        dockerfile = os.path.join(context, build.get("dockerfile", "Dockerfile")) if isinstance(build, dict) \
            else os.path.join(context, "Dockerfile")
        print(f"== build {image}", flush=True)
        podman("build", "--network", "host", "--pull=never", "-t", image, "-f", dockerfile, context, capture=False)

    def run_args(self, service, extra_env=(), detach=True, remove=False, name=None):
        svc = self.services[service]
        args = ["run"]
        args += ["-d"] if detach else []
        args += ["--rm"] if remove else []
        args += ["--name", name or self.container(service), "--network", self.network,
                 "--network-alias", service, "--label", f"com.docker.compose.project={self.name}",
                 "--label", f"com.docker.compose.service={service}"]
        for entry in svc.get("env_file") or []:
            path, required = (entry, True) if isinstance(entry, str) else (entry["path"], entry.get("required", True))
            path = os.path.join(self.dir, path)
            if os.path.exists(path):
                args += ["--env-file", path]
            elif required:
                raise SystemExit(f"env file {path} not found (service {service})")
        environment = svc.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(e.split("=", 1) for e in environment)
        for key, value in environment.items():
            args += ["-e", f"{key}={'' if value is None else value}"]
        for entry in extra_env:
            args += ["-e", entry]
        for volume in svc.get("volumes") or []:
            source, target = volume.split(":", 1)
            if not source.startswith((".", "/")):
                source = f"{self.name}_{source}"
            args += ["-v", f"{source}:{target}"]
        if detach:
            for port in svc.get("ports") or []:
                args += ["-p", str(port)]
            restart = svc.get("restart")
            if restart and restart != "no":
                args += ["--restart", restart]
        if "stop_grace_period" in svc:
            args += ["--stop-timeout", str(int(seconds(svc["stop_grace_period"], 10)))]
        health = svc.get("healthcheck")
        if health:
            test = health["test"]
            if isinstance(test, list):
                # CMD: an exec-form array (podman reads a JSON array so); CMD-SHELL: one string for the shell.
                cmd = json.dumps(test[1:]) if test[0] == "CMD" else test[1]
            else:
                cmd = test
            args += ["--health-cmd", cmd,
                     "--health-interval", "disable",  # this runner triggers the checks itself (no systemd here)
                     "--health-timeout", f"{int(seconds(health.get('timeout'), 30))}s",
                     "--health-retries", str(health.get("retries", 3)),
                     "--health-start-period", f"{int(seconds(health.get('start_period'), 0))}s"]
        return args

    # --- starting and waiting --------------------------------------------------------------------------------------
    def start(self, service, started):
        if service in started:
            return
        for dependency, condition in self.dependencies(service):
            self.start(dependency, started)
            if (dependency, condition) not in self.satisfied:
                self.wait(dependency, condition)
                self.satisfied.add((dependency, condition))
        self.ensure_image(service)
        existing = podman("container", "exists", self.container(service), check=False).returncode == 0
        if not existing:
            svc = self.services[service]
            command = svc.get("command") or []
            command = command if isinstance(command, list) else command.split()
            print(f"== start {service}", flush=True)
            podman(*self.run_args(service), self.image(service), *command)
        started.add(service)

    def dependencies(self, service):
        deps = self.services[service].get("depends_on") or []
        if isinstance(deps, list):
            return [(d, "service_started") for d in deps]
        return [(d, (c or {}).get("condition", "service_started")) for d, c in deps.items()]

    def wait(self, service, condition, timeout=300):
        name = self.container(service)
        if condition == "service_started":
            return
        if condition == "service_completed_successfully":
            code = int(podman("wait", name).stdout.strip() or 1)
            if code != 0:
                print(podman("logs", name, check=False).stdout[-3000:])
                raise SystemExit(f"{service} exited {code}; services that depend on its success cannot start")
            print(f"== {service} completed successfully", flush=True)
            return
        self.wait_healthy(service, timeout)

    def wait_healthy(self, service, timeout=300):
        name = self.container(service)
        health = self.services[service].get("healthcheck") or {}
        interval = seconds(health.get("interval"), 30)
        deadline = time.monotonic() + timeout
        first = True
        while True:
            # The first probe at once; then at the service's interval, but at most every 2 s while starting.
            if not first:
                time.sleep(min(interval, 2.0))
            first = False
            state = podman("inspect", "--format", "{{.State.Status}}", name, check=False).stdout.strip()
            if state in ("exited", "stopped") or not state:
                print(podman("logs", name, check=False).stdout[-3000:])
                raise SystemExit(f"{service} stopped while its health was awaited")
            podman("healthcheck", "run", name, check=False)
            status = self.health(service)
            if status == "healthy":
                print(f"== {service} healthy", flush=True)
                return
            if status == "unhealthy" or time.monotonic() > deadline:
                print(podman("logs", name, check=False).stdout[-3000:])
                raise SystemExit(f"{service} is {status or 'not healthy'} after {int(timeout)} s at most")

    def health(self, service):
        fmt = "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Healthcheck.Status}}{{end}}"
        return podman("inspect", "--format", fmt, self.container(service), check=False).stdout.strip()

    # --- commands --------------------------------------------------------------------------------------------------
    def up(self):
        self.ensure_network_and_volumes()
        started = set()
        for service in self.services:
            self.start(service, started)
        for service in self.services:
            if self.services[service].get("healthcheck") and service in started:
                running = podman("inspect", "--format", "{{.State.Status}}", self.container(service)).stdout.strip()
                if running == "running":
                    self.wait_healthy(service)

    def run(self, service, env, remove, args):
        self.ensure_network_and_volumes()
        started = set()
        for dependency, condition in self.dependencies(service):
            self.start(dependency, started)
            if (dependency, condition) not in self.satisfied:
                self.wait(dependency, condition)
                self.satisfied.add((dependency, condition))
        self.ensure_image(service)
        command = args or self.services[service].get("command") or []
        name = f"{self.name}_{service}_run_{os.getpid()}"
        result = podman(*self.run_args(service, env, detach=False, remove=remove, name=name), self.image(service),
                        *command, check=False, capture=False)
        return result.returncode

    def stop(self, service, grace):
        result = podman("stop", "-t", str(grace), self.container(service), check=False)
        return result.returncode

    def down(self):
        for service in reversed(list(self.services)):
            grace = int(seconds(self.services[service].get("stop_grace_period"), 10))
            podman("rm", "-f", "-t", str(grace), self.container(service), check=False)
        for container in podman("ps", "-aq", "--filter", f"label=com.docker.compose.project={self.name}",
                                check=False).stdout.split():
            podman("rm", "-f", container, check=False)
        for volume in (self.spec.get("volumes") or {}):
            podman("volume", "rm", "-f", f"{self.name}_{volume}", check=False)
        podman("network", "rm", "-f", self.network, check=False)


def main(argv):
    path = "docker-compose.yml"
    if argv[:1] == ["-f"]:
        path, argv = argv[1], argv[2:]
    project = Project(path)
    command, rest = argv[0], argv[1:]
    if command == "up":
        project.up()
        return 0
    if command == "run":
        env, remove = [], False
        while rest and rest[0].startswith("-"):
            flag = rest.pop(0)
            if flag == "--rm":
                remove = True
            elif flag == "-e":
                env.append(rest.pop(0))
            else:
                raise SystemExit(f"run: unknown flag {flag}")
        return project.run(rest[0], env, remove, rest[1:])
    if command == "stop":
        grace = 10
        if rest[:1] == ["-t"]:
            grace, rest = int(rest[1]), rest[2:]
        return project.stop(rest[0], grace)
    if command == "health":
        print(project.health(rest[0]))
        return 0
    if command == "down":
        project.down()
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

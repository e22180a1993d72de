"""Coordinators' monitoring of supply against demand (监测—预警—响应)."""

"""Django settings.

``centrex.settings.base`` is what runs (driven by environment variables, see
docs/configuration.md); ``centrex.settings.test`` adjusts it for the test suite. This
package file imports neither, so that the test module can set its environment first.
"""

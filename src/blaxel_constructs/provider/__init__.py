"""terraform-provider-blaxel: the Terraform provider, written on the ``tf`` framework.

Never imports cdktf, jsii or the emulator: Terraform launches this several times per apply.
"""

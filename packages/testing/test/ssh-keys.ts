// Public halves of throwaway keys made with `ssh-keygen` for these tests, with the MD5 fingerprints
// `ssh-keygen -l -E md5` printed for them (the private halves were never kept).
export const ED25519_CI =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK+swpKLkyNrkgiijQrhAuBs0PJaapAsKYyj5iGL7Rll ci@example";
export const ED25519_CI_MD5 = "45:ab:76:5a:87:f1:65:9b:ec:fe:ae:d6:ca:6f:af:60";
export const ED25519_OTHER =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJvP8IcMeZYkfvC7YuPQ4hxeDOtBYh+4dKNVhljq6pHg other@example";
export const ED25519_OTHER_MD5 = "68:bd:d2:fa:40:b4:9c:4c:f4:32:4d:cf:af:96:0d:a4";
export const RSA_2048 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC+nHezZyeZFZpyphdv0dGRczgzFU6k9orf/wsrb4mRmLB661ti+ETA0IcRYvV6KLYuSe5UEIFYmdgpKebDeLV8zphHLJbwTEMPOJ+8ea8+iOH8ZQwApRGk3leF/hgASFgHkYkJ7l6aURVvIavpuSL3zXOtMA5DoeU1g1mh0wlv5AwGPxglA/eTpOrxvCUC5Am99QVTKayKyZUZp0cEB9wtkrRCFepjyCKLfIgFOqumBWM7O/uCA05fPvb5+1EIWdB+dMztOvl8XVgUsEmY3wE99Ow7DL8bRjWczF0a+oLzht9iF/BUVWHZkvYwRQVRWCmA4xOnd9hxHC/8Lv9mmipV rsa@example";
export const RSA_2048_MD5 = "d6:f2:9e:49:25:18:e0:01:44:a7:a5:1d:a5:e6:28:b4";
